"""What each grants model shows an actor: `Model.objects.visible_to(actor)`, built on core.policy.restrict."""

from django.db import models
from django.db.models import Q

from core import policy


class GrantClaimQuerySet(models.QuerySet):
    def visible_to(self, actor):
        """A claim lists the name and DUF number of everyone on it: a caseworker sees the claims of the region's
        municipalities, a municipality its own, the national admin all; the ministry and agencies none."""
        return policy.restrict(self, actor, region="municipality__region_id", municipality="municipality_id")


class GrantApplicationQuerySet(models.QuerySet):
    def visible_to(self, actor):
        """A caseworker sees the applications from the region's municipalities and those from organisations (no
        municipality, no region: any office may assess them, grants.workflows._in_region), a municipality its own,
        the national admin all; the ministry and agencies none."""
        if actor.role == policy.CASEWORKER:
            return self.filter(Q(municipality__region_id=actor.region_id) | Q(municipality__isnull=True))
        return policy.restrict(self, actor, municipality="municipality_id")


class PaymentBatchQuerySet(models.QuerySet):
    def visible_to(self, actor):
        """The national admin only. A batch is one DFØ payment file for the approved claims of every region: a
        caseworker's cut of it would still show the file's total (and so the other regions' sum), and the file
        itself can only be sent whole. Paying is the admin's (grants.pay_claims)."""
        return policy.restrict(self, actor)
