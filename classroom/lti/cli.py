"""The `flask lti` commands: register a platform and its deployments, list the platforms with
the values to paste into them, send the scores waiting for a platform's gradebook, and read
the rosters of linked courses."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from ..db import get_db
from ..store import lti as store
from . import grades, rosters, urls


@click.group("lti")
def lti() -> None:
    """LTI 1.3: the learning platforms that launch Classroom (docs/lti.md)."""


@lti.command("add-platform")
@click.option("--name", required=True, help="What teachers call it, e.g. 'District Canvas'.")
@click.option("--issuer", required=True, help="The platform's issuer (iss), as it gives it.")
@click.option("--client-id", required=True, help="The client id the platform gave Classroom.")
@click.option("--login-url", required=True, help="The platform's OIDC authorization URL.")
@click.option("--token-url", required=True, help="The platform's OAuth 2 token URL.")
@click.option("--keyset-url", required=True, help="The platform's public key set (JWKS) URL.")
@click.option("--deployment", "deployments", multiple=True, help="A deployment id (repeatable).")
@click.option("--token-audience", help="The token URL's audience, if the platform names one.")
@with_appcontext
def add_platform_command(
    name, issuer, client_id, login_url, token_url, keyset_url, deployments, token_audience
) -> None:
    """Register a learning platform, so that its launches are accepted."""
    fields = {"name": name, "issuer": issuer, "client_id": client_id, "login_url": login_url}
    fields |= {"token_url": token_url, "keyset_url": keyset_url}
    fields["token_audience"] = token_audience
    if problem := urls.problem(fields):
        raise click.ClickException(problem)
    try:
        store.add_platform(get_db(), fields, list(deployments), added_by=None)
    except store.PlatformTaken as taken:
        message = f"{issuer} with client id {client_id} is registered already"
        raise click.ClickException(message) from taken
    click.echo(f"Platform '{name}' registered with {len(deployments)} deployment(s).")


@lti.command("add-deployment")
@click.argument("issuer")
@click.argument("client_id")
@click.argument("deployment_id")
@with_appcontext
def add_deployment_command(issuer: str, client_id: str, deployment_id: str) -> None:
    """Accept launches from another deployment of a registered platform."""
    found = store.platform_by_client(get_db(), issuer, client_id)
    if found is None:
        raise click.ClickException(f"no platform {issuer} with client id {client_id}")
    store.add_deployment(get_db(), found["id"], deployment_id)
    click.echo(f"Deployment '{deployment_id}' added to '{found['name']}'.")


@lti.command("platforms")
@click.option("--url", "base", help="Classroom's address, e.g. https://classroom.school.org.")
@with_appcontext
def platforms_command(base: str | None) -> None:
    """List the platforms registered, and the values to paste into a platform."""
    for row in store.platforms(get_db()):
        deployed = ", ".join(row["deployments"]) or "none yet"
        click.echo(f"{row['name']}: {row['issuer']} client {row['client_id']} ({deployed})")
    click.echo("Paste into the platform:")
    for label, value in urls.tool_urls(base).items():
        click.echo(f"  {label}: {value}")


@lti.command("send-grades")
@click.option("--limit", default=1000, show_default=True, help="At most this many scores.")
@with_appcontext
def send_grades_command(limit: int) -> None:
    """Send the scores waiting for a platform's gradebook (run it every few minutes)."""
    done = grades.send_due(get_db(), limit=limit)
    click.echo(
        f"Sent {done['sent']}; not sent {done['failed']} (tried again later); held until the "
        f"due date {done['held']}; nowhere to send {done['dropped']}."
    )


@lti.command("sync-rosters")
@with_appcontext
def sync_rosters_command() -> None:
    """Make every linked class's students follow its platform course's roster."""
    db, failed = get_db(), 0
    for class_id in store.linked_classes(db):
        try:
            counts = rosters.sync(db, class_id)
        except Exception as err:  # one platform down must not stop the others
            failed += 1
            click.echo(f"class {class_id}: not read ({type(err).__name__}: {err})", err=True)
            continue
        click.echo(
            f"class {class_id}: {counts['added']} added, {counts['removed']} removed, "
            f"{counts['kept']} kept"
        )
    if failed:
        raise SystemExit(1)
