from rest_framework import serializers, viewsets

from agreements.models import PartnershipAgreement
from agreements.selectors import agreements_for
from core.api.auth import HasScope, api_actor
from core.models import ApiScope


class AgreementSerializer(serializers.ModelSerializer):
    goals = serializers.SlugRelatedField(many=True, read_only=True, slug_field="text")

    class Meta:
        model = PartnershipAgreement
        fields = ["id", "title", "agreement_type", "region", "municipalities", "agencies", "start_date", "end_date", "purpose", "goals"]


class AgreementViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = AgreementSerializer
    permission_classes = [HasScope]
    permission = "agreements.read_api"
    required_scopes = {"*": ApiScope.AGREEMENTS_READ}
    filterset_fields = ["agreement_type", "region"]

    def get_queryset(self):
        return agreements_for(api_actor(self.request)).prefetch_related("municipalities", "agencies", "goals").order_by("id")
