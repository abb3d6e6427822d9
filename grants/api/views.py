from rest_framework import serializers, viewsets

from core.api.auth import HasScope, api_actor
from core.models import ApiScope
from grants.models import GrantClaim
from grants.selectors import claims_for


class GrantClaimSerializer(serializers.ModelSerializer):
    municipality_number = serializers.CharField(source="municipality.number")

    class Meta:
        model = GrantClaim
        # A disputed claim is recomputed as a new version (supersedes: the one it replaces; previously_paid: what earlier
        # versions paid, so a corrected paid claim pays the difference).
        fields = ["id", "municipality", "municipality_number", "year", "quarter", "status", "total", "calculated_at", "approved_at",
                  "version", "supersedes", "previously_paid"]


class GrantClaimViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = GrantClaimSerializer
    permission_classes = [HasScope]
    permission = "grants.view_claims"  # agencies none, as in the web
    required_scopes = {"*": ApiScope.GRANTS_READ}
    filterset_fields = ["year", "quarter", "status", "municipality"]

    def get_queryset(self):
        return claims_for(api_actor(self.request)).order_by("-year", "-quarter", "id")
