"""Saving with the acting user recorded in the audit history (django-simple-history)."""


def save_as(instance, actor, **kwargs):
    """Save `instance`, crediting the change to the actor's user (none for the system itself)."""
    user = getattr(actor, "user", None)
    if user is not None and getattr(user, "is_authenticated", False):
        instance._history_user = user
    instance.save(**kwargs)
