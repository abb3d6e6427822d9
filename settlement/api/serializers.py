from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers
from rest_framework.fields import get_error_detail

from core import policy
from core.models import ReceptionCentre
from core.api.auth import api_actor
from settlement.models import (
    DUF_VALIDATOR, Category, Household, MunicipalDecision, Person, Proposal, RequestedPlaces, SettlementRequest, Sex, NATIONALITIES,
)


class HidesSpecialNeedsMixin:
    """Free-text special needs only to those core.policy lets see them (never a municipality)."""

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is None or not policy.can(api_actor(request), "settlement.view_special_needs"):
            data.pop("special_needs", None)
        return data


class PersonSerializer(HidesSpecialNeedsMixin, serializers.ModelSerializer):
    class Meta:
        model = Person
        fields = ["id", "duf_number", "first_name", "last_name", "birth_date", "sex", "nationality", "is_head",
                  "residence_permit_date", "special_needs", "settled_on", "household"]


class HouseholdSerializer(HidesSpecialNeedsMixin, serializers.ModelSerializer):
    persons = PersonSerializer(many=True, read_only=True)
    municipality_number = serializers.CharField(source="municipality.number", default=None, read_only=True)

    class Meta:
        model = Household
        fields = ["id", "status", "category", "composition", "size", "region", "reception_centre", "waiting_since",
                  "waiting_target_months", "settlement_ready_on", "special_needs", "municipality", "municipality_number",
                  "settlement_year", "assigned_on", "settled_on", "exit_reason", "exited_on", "persons"]


class NewPersonSerializer(serializers.Serializer):
    duf_number = serializers.CharField(max_length=12, validators=[DUF_VALIDATOR])
    first_name = serializers.CharField(max_length=80)
    last_name = serializers.CharField(max_length=80)
    birth_date = serializers.DateField()
    sex = serializers.ChoiceField(choices=Sex.choices)
    nationality = serializers.ChoiceField(choices=sorted(NATIONALITIES.items()))
    residence_permit_date = serializers.DateField()
    special_needs = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")

    def validate(self, data):
        if data["birth_date"] > data["residence_permit_date"]:
            raise serializers.ValidationError({"birth_date": "Fødselsdato kan ikke være etter vedtak om opphold."})
        return data


class SettlementReadySerializer(serializers.Serializer):
    """UDI's registration of a settlement-ready household (idempotent by DUF number).

    Every field is checked here, with the models' own validators, before the view looks up any DUF
    number: a payload that would fail for an unknown household fails the same way for a known one,
    so the answer never tells whether a number is registered.
    """

    category = serializers.ChoiceField(choices=Category.choices)
    # Required: without it the region cannot be derived, and the service would fail only after its lookup.
    reception_centre = serializers.PrimaryKeyRelatedField(queryset=ReceptionCentre.objects.all())
    settlement_ready_on = serializers.DateField(required=False)
    special_needs = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    persons = NewPersonSerializer(many=True, allow_empty=False, max_length=20)

    def validate(self, data):
        dufs = [p["duf_number"] for p in data["persons"]]
        if len(set(dufs)) != len(dufs):
            raise serializers.ValidationError({"persons": serializers.ErrorDetail(
                "Samme DUF-nummer står flere ganger.", code="duplicate_duf_number")})
        household = Household(category=data["category"], reception_centre=data["reception_centre"],
                              settlement_ready_on=data.get("settlement_ready_on"), special_needs=data.get("special_needs", ""))
        checked = {"category", "reception_centre", "special_needs"} | ({"settlement_ready_on"} & data.keys())
        try:
            household.full_clean(exclude=[f.name for f in Household._meta.fields if f.name not in checked],
                                 validate_unique=False, validate_constraints=False)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(get_error_detail(exc))
        errors = {}
        for i, person in enumerate(data["persons"]):
            try:
                Person(**person).full_clean(exclude=["household"], validate_unique=False, validate_constraints=False)
            except DjangoValidationError as exc:
                errors[i] = get_error_detail(exc)
        if errors:
            raise serializers.ValidationError({"persons": errors})
        return data


class SettlementSerializer(serializers.ModelSerializer):
    """A settled person, without names: for agencies that follow settlements (bosettinger)."""

    municipality = serializers.IntegerField(source="household.municipality_id")
    municipality_number = serializers.CharField(source="household.municipality.number")
    household = serializers.IntegerField(source="household_id")

    class Meta:
        model = Person
        fields = ["id", "duf_number", "household", "settled_on", "municipality", "municipality_number"]


class RequestedPlacesSerializer(serializers.ModelSerializer):
    class Meta:
        model = RequestedPlaces
        fields = ["year", "persons", "unaccompanied_minors"]


class SettlementRequestSerializer(serializers.ModelSerializer):
    years = RequestedPlacesSerializer(many=True, read_only=True)

    class Meta:
        model = SettlementRequest
        fields = ["id", "municipality", "sent_on", "reply_deadline", "adjusted_at", "note", "years"]


class DecisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = MunicipalDecision
        fields = ["id", "municipality", "year", "places", "unaccompanied_minors", "decided_on", "housing_plan"]


class ProposalSerializer(serializers.ModelSerializer):
    reply_deadline = serializers.DateField(source="distribution_list.reply_deadline", read_only=True)

    class Meta:
        model = Proposal
        fields = ["id", "distribution_list", "household", "municipality", "persons", "status", "decline_reason",
                  "responded_at", "reply_deadline"]
