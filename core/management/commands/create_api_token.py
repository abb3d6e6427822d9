from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from core.api.auth import MAX_TOKEN_DAYS, issue_token
from core.models import ApiScope


class Command(BaseCommand):
    help = "Issue a scoped API token for a user (the key is shown once). Scopes: " + ", ".join(ApiScope.values)

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--scopes", required=True, help="Comma-separated, e.g. persons:write,persons:read")
        parser.add_argument("--name", default="")
        parser.add_argument("--days", type=int, default=MAX_TOKEN_DAYS,
                            help=f"Days until the token expires, 1 to {MAX_TOKEN_DAYS} (every token expires).")

    def handle(self, username, scopes, name, days, **options):
        try:
            user = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user {username}")
        try:
            token, key = issue_token(user, name or f"{username} token", [s.strip() for s in scopes.split(",") if s.strip()], days)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages))
        self.stdout.write(f"{token.name}: {key}")
