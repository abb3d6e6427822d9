from rest_framework import permissions, serializers, viewsets

from core.models import Municipality


class MunicipalitySerializer(serializers.ModelSerializer):
    county = serializers.CharField(source="county.name")
    region = serializers.CharField(source="region.name")

    class Meta:
        model = Municipality
        fields = ["id", "number", "name", "county", "region", "population"]


class MunicipalityViewSet(viewsets.ReadOnlyModelViewSet):
    """Reference data: any authenticated caller may read it."""

    serializer_class = MunicipalitySerializer
    permission_classes = [permissions.IsAuthenticated]
    queryset = Municipality.objects.select_related("county", "region").order_by("number")
    filterset_fields = ["number", "region", "county"]
