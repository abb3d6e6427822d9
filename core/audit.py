"""Saving and deleting with the acting user recorded in the audit history (django-simple-history)."""


def _credit(instance, actor):
    user = getattr(actor, "user", None)
    if user is not None and getattr(user, "is_authenticated", False):
        instance._history_user = user


def save_as(instance, actor, **kwargs):
    """Save `instance`, crediting the change to the actor's user (none for the system itself)."""
    _credit(instance, actor)
    instance.save(**kwargs)


def delete_as(instance, actor):
    """Delete `instance`; its last history row (the deletion) names the actor's user."""
    _credit(instance, actor)
    instance.delete()
