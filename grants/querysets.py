"""What each grants model shows an actor: `Model.objects.visible_to(actor)`, built on core.policy.restrict."""

from django.db import models

from core import policy


class GrantClaimQuerySet(models.QuerySet):
    def visible_to(self, actor):
        """A claim lists the name and DUF number of everyone on it: a caseworker sees the claims of the region's
        municipalities, a municipality its own, the national admin all; the ministry and agencies none."""
        return policy.restrict(self, actor, region="municipality__region_id", municipality="municipality_id")


class GrantApplicationQuerySet(models.QuerySet):
    def visible_to(self, actor):
        """IMDi sees every application (organisations' have no municipality), a municipality its own."""
        return policy.restrict(self, actor, municipality="municipality_id", sees_all=policy.IMDI)


class PaymentBatchQuerySet(models.QuerySet):
    def visible_to(self, actor):
        return policy.restrict(self, actor, sees_all=policy.IMDI)
