"""What agreements show an actor: `PartnershipAgreement.objects.visible_to(actor)`."""

from django.db import models
from django.db.models import Q

from core import policy


class AgreementQuerySet(models.QuerySet):
    def visible_to(self, actor):
        """The national admin and the ministry see all; a caseworker the region's and the national ones; a
        municipality and an agency (API) the agreements they are party to."""
        if actor.role in (policy.ADMIN, policy.MINISTRY):
            return self
        if actor.role == policy.CASEWORKER:
            return self.filter(Q(region_id=actor.region_id) | Q(region__isnull=True))
        if actor.role == policy.MUNICIPALITY:
            return self.filter(municipalities__id=actor.municipality_id)
        if actor.role == policy.AGENCY and actor.agency_id is not None:
            return self.filter(agencies__id=actor.agency_id)
        return self.none()
