"""What each settlement model shows an actor: `Model.objects.visible_to(actor)`, built on core.policy.restrict.

Selectors, pages, exports and the API all start from these, so a role's reach is written once."""

from django.db import models
from django.db.models import Q

from core import policy
from core.models import ApiScope

from .choices import ACTIVE_STATUSES, Composition


class HouseholdQuerySet(models.QuerySet):
    def visible_to(self, actor):
        """A region's caseworker sees the region's cases, a municipality the cases it currently has, the
        national admin all. An agency (API token) sees unaccompanied minors with minors:read (Bufetat) and the
        households it registered itself with persons:read/write (UDI); the ministry none. A Bufetat user's web
        session sees the unaccompanied minors under 15 it settles with IMDi (settlement.definitions.bufetat_minors_q)."""
        if actor.role == policy.AGENCY:
            scopes = actor.scopes or frozenset()
            q = Q(pk__in=[])
            if actor.scopes is None and policy.can(actor, "settlement.follow_minors"):
                from .definitions import bufetat_minors_q  # definitions imports the models, which import this module

                q |= bufetat_minors_q()
            if ApiScope.MINORS_READ in scopes:
                q |= Q(composition=Composition.UNACCOMPANIED_MINOR)
            if actor.agency_id is not None and scopes & set(policy.AGENCY_OWN_HOUSEHOLDS):
                q |= Q(registered_by_agency_id=actor.agency_id)
            return self.filter(q)
        if actor.role == policy.RECEPTION:
            # A reception centre's staff: the households living at their own centre, until settled or closed (the
            # settlement interview, imdi-evaluation-2014.txt 3955-3960).
            if actor.reception_centre_id is None:
                return self.none()
            return self.filter(reception_centre_id=actor.reception_centre_id, status__in=ACTIVE_STATUSES)
        if not policy.has_scope(actor, ApiScope.SETTLEMENT_READ):
            return self.none()
        return policy.restrict(self, actor, region="region_id", municipality="municipality_id")


class PersonQuerySet(models.QuerySet):
    def visible_to(self, actor):
        households = self.model._meta.get_field("household").related_model.objects.visible_to(actor)
        return self.filter(household__in=households.values("pk"))


class HouseholdEventQuerySet(models.QuerySet):
    def visible_to(self, actor):
        """A municipality sees its own answers and the events of no municipality, not another's answers."""
        households = self.model._meta.get_field("household").related_model.objects.visible_to(actor)
        qs = self.filter(household__in=households.values("pk"))
        if actor.role == policy.MUNICIPALITY:
            qs = qs.filter(Q(municipality_id=actor.municipality_id) | Q(municipality__isnull=True))
        return qs


class ProposalQuerySet(models.QuerySet):
    def visible_to(self, actor):
        return policy.restrict(self, actor, region="household__region_id", municipality="municipality_id")


class DistributionListQuerySet(models.QuerySet):
    def visible_to(self, actor):
        return policy.restrict(self, actor, region="region_id", municipality="municipality_id")


class SettlementRequestQuerySet(models.QuerySet):
    def visible_to(self, actor):
        return policy.restrict(self, actor, region="municipality__region_id", municipality="municipality_id")


class MunicipalDecisionQuerySet(models.QuerySet):
    def visible_to(self, actor):
        """Decisions are public municipal figures: the ministry and agencies read them all (API)."""
        return policy.restrict(self, actor, region="municipality__region_id", municipality="municipality_id",
                               sees_all=frozenset({policy.ADMIN, policy.MINISTRY, policy.AGENCY}))
