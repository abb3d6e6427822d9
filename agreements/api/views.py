from rest_framework import serializers, viewsets

from agreements.models import PartnershipAgreement
from agreements.selectors import agreements_for
from core.api.auth import HasScope
from core.models import ApiScope
from core.roles import actor_for


class AgreementSerializer(serializers.ModelSerializer):
    goals = serializers.SlugRelatedField(many=True, read_only=True, slug_field="text")

    class Meta:
        model = PartnershipAgreement
        fields = ["id", "title", "agreement_type", "region", "municipalities", "agencies", "start_date", "end_date", "purpose", "goals"]


class AgreementViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = AgreementSerializer
    permission_classes = [HasScope]
    required_scopes = {"*": ApiScope.AGREEMENTS_READ}
    filterset_fields = ["agreement_type", "region"]

    def get_queryset(self):
        actor = actor_for(self.request.user)
        qs = PartnershipAgreement.objects.all() if actor.role == "agency" else agreements_for(actor)
        if actor.role == "agency":
            qs = qs.filter(agencies__id=actor.agency_id)
        return qs.prefetch_related("municipalities", "agencies", "goals").order_by("id")
