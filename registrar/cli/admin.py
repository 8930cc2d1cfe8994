"""Commands that keep the store: create it, its users, settings, reference data, SSH keys, server set-up, upgrades and backups."""

from pathlib import Path

import click

from registrar.access.identity import os_account, os_display_name
from registrar.base.errors import BadInput
from registrar.base.reference import force_codes
from registrar.base.vocabulary import ROLE_NAMES as ROLES
from registrar.cli.output import output_options, render, show
from registrar.cli.support import Env, pass_env, read_input
from registrar.reading import views
from registrar.storage.store import Store


@click.command()
@click.option("--demo", is_flag=True, help="A demo or test store: it accepts --as USER.")
@click.option(
    "--force", "force_code", default="", metavar="CODE", help="This force's code, e.g. STA (required unless --demo)."
)
@click.option("--fcr", "fcr_user", metavar="USER", help="The first FCR's account (default: you).")
@click.option("--name", "display_name", metavar="TEXT", help="The first FCR's display name.")
@click.option(
    "--service", is_flag=True, help="You are the store's service account: registrars come in through SSH keys and sudo."
)
@pass_env
def init(env: Env, demo: bool, force_code: str, fcr_user: str | None, display_name: str | None, service: bool) -> None:
    """Create a new store (mode 0600, in a directory only you can write) with the reference data; its first user is the FCR.

    For a store several people share, use `registrar server setup` (as root) instead.

    \b
    Example:
      registrar --db ~/registrar/force.db init --force STA
    """
    if not force_code and not demo:
        raise click.UsageError("--force CODE is required for a production store (transfers to it are refused)")
    if force_code and force_code not in force_codes():
        raise BadInput(f"{force_code!r} is not a force code; see `registrar reference list forces` on any store")
    username = fcr_user or os_account()
    Store.create(
        env.db_path,
        fcr=username,
        fcr_name=display_name or os_display_name(username),
        demo=demo,
        force_code=force_code,
        service_account=os_account() if service else "",
        clock=env.clock,
    )
    kind = "demo" if demo else "production"
    click.echo(f"created {kind} store {env.db_path}; {username} is its FCR", err=True)


@click.group()
def users() -> None:
    """Registrar users and their roles (the FCR manages them)."""


@users.command("add")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), required=True, help="What the user may do.")
@click.option("--name", "display_name", default="", help="Display name.")
@pass_env
def users_add(env: Env, username: str, role: str, display_name: str) -> None:
    """Add a user: their OS account name and role.

    \b
    Example:
      registrar users add jpatel --role ddm --name "J Patel"
    """
    from registrar.administration import admin

    admin.add_user(env.store(), env.actor(), username, role, display_name)
    click.echo(f"added {username} as {role}", err=True)


@users.command("set")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), help="A new role.")
@click.option("--active/--inactive", default=None, help="Reactivate or deactivate.")
@pass_env
def users_set(env: Env, username: str, role: str | None, active: bool | None) -> None:
    """Change a user's role or deactivate them.

    \b
    Example:
      registrar users set jpatel --inactive
    """
    from registrar.administration import admin

    admin.change_user(env.store(), env.actor(), username, role=role, active=active)
    click.echo(f"updated {username}", err=True)


@users.command("list")
@output_options
@pass_env
def users_list(env: Env, fmt: str) -> None:
    """List the store's users.

    \b
    Example:
      registrar users list --csv
    """
    env.actor()
    rows = views.users(env.store().conn)
    show(render(rows, ("username", "role", "display_name", "active", "created_at"), fmt), nl=False)


@click.group()
def settings() -> None:
    """Settings the FCR may change without code: rationale length, clocks, restricted flags."""


@settings.command("list")
@output_options
@pass_env
def settings_list(env: Env, fmt: str) -> None:
    """Show every setting.

    \b
    Example:
      registrar settings list
    """
    env.actor()
    rows = [{"key": k, "value": v} for k, v in sorted(env.store().settings().items())]
    show(render(rows, ("key", "value"), fmt), nl=False)


@settings.command("set")
@click.argument("key")
@click.argument("value")
@pass_env
def settings_set(env: Env, key: str, value: str) -> None:
    """Change a setting (FCR only); VALUE is JSON for numbers, lists and maps.

    \b
    Example:
      registrar settings set rationale_min_length 40
      registrar settings set restricted_flags '["domestic_abuse"]'
    """
    from registrar.administration import admin

    new = admin.set_setting(env.store(), env.actor(), key, value)
    click.echo(f"{key} = {new}", err=True)


@click.group()
def reference() -> None:
    """Reference data: offences, grounds, forces, agencies, outcomes, local policing areas."""


@reference.command("list")
@click.argument("table", type=click.Choice(("offences", "grounds", "forces", "agencies", "outcomes", "areas")))
@output_options
@pass_env
def reference_list(env: Env, table: str, fmt: str) -> None:
    """List one reference table.

    \b
    Example:
      registrar reference list offences --csv
    """
    env.actor()
    rows = views.reference_table(env.store().conn, table)
    show(render(rows, list(rows[0]) if rows else ["code"], fmt), nl=False)


@reference.command("restrict")
@click.argument("code")
@click.option("--off", is_flag=True, help="Remove the code from the restricted list instead.")
@pass_env
def reference_restrict(env: Env, code: str, off: bool) -> None:
    """Put an offence code on the restricted list (fcr or dfcr).

    \b
    Example:
      registrar reference restrict 1
      registrar reference restrict 88C --off
    """
    from registrar.administration import admin

    admin.set_restricted(env.store(), env.actor(), code, not off)
    click.echo(f"{code} {'unrestricted' if off else 'restricted'}", err=True)


@reference.command("severity")
@click.argument("code")
@click.argument("weight", type=int)
@click.option("--rationale", required=True, help="Why the weight changes (the ledger keeps it).")
@pass_env
def reference_severity(env: Env, code: str, weight: int, rationale: str) -> None:
    """Give an offence code another seriousness weight (fcr or dfcr), by which every downgrade is judged.

    Weights are in the units of the ONS Crime Severity Score; `reference list offences` shows them.

    \b
    Example:
      registrar reference severity 8U 260 --rationale "ONS data tool, year ending March 2026: 260"
    """
    from registrar.administration import admin

    admin.set_severity(env.store(), env.actor(), code, weight, rationale)
    click.echo(f"{code} now weighs {weight}", err=True)


@reference.group("area")
def reference_area() -> None:
    """The force's local policing areas: crimes, requests and incidents name only these."""


@reference_area.command("add")
@click.argument("name")
@pass_env
def reference_area_add(env: Env, name: str) -> None:
    """Add a local policing area (fcr or dfcr).

    \b
    Example:
      registrar reference area add "Stoke North"
    """
    from registrar.administration import admin

    admin.add_area(env.store(), env.actor(), name)
    click.echo(f"area {name.strip()} added", err=True)


@reference_area.command("retire")
@click.argument("name")
@pass_env
def reference_area_retire(env: Env, name: str) -> None:
    """Retire an area (fcr or dfcr): crimes that name it keep it; nothing new may.

    \b
    Example:
      registrar reference area retire "Stoke South"
    """
    from registrar.administration import admin

    admin.retire(env.store(), env.actor(), "area", name)
    click.echo(f"area {name.strip()} retired", err=True)


@reference.group("offence")
def reference_offence() -> None:
    """Home Office offence codes: add the codes a new counting-rules year brings, retitle or retire them."""


@reference_offence.command("add")
@click.argument("code")
@click.option("--name", required=True, help="The offence's title in the counting rules.")
@click.option("--group", "group", required=True, help="Its offence group (e.g. 'Violence Against the Person').")
@click.option("--subgroup", required=True, help="Its subgroup (e.g. 'Violence with Injury').")
@click.option("--weight", type=int, required=True, help="Its seriousness weight (Crime Severity Score points).")
@click.option("--restricted", is_flag=True, help="Put it on the restricted list.")
@click.option("--not-victim-based", is_flag=True, help="A crime against society rather than a victim.")
@pass_env
def reference_offence_add(
    env: Env, code: str, name: str, group: str, subgroup: str, weight: int, restricted: bool, not_victim_based: bool
) -> None:
    """Add a Home Office offence code (fcr or dfcr), each a ledger entry.

    \b
    Example:
      registrar reference offence add 8V --name "Non-fatal strangulation" \\
        --group "Violence Against the Person" --subgroup "Violence with Injury" --weight 300
    """
    from registrar.administration import admin

    admin.add_offence(env.store(), env.actor(), code, name, group, subgroup, weight, restricted, not not_victim_based)
    click.echo(f"offence {code} added", err=True)


@reference_offence.command("retitle")
@click.argument("code")
@click.argument("name")
@pass_env
def reference_offence_retitle(env: Env, code: str, name: str) -> None:
    """Give an offence code the title the current counting rules use (fcr or dfcr).

    \b
    Example:
      registrar reference offence retitle 8U "Controlling or coercive behaviour in an intimate or family relationship"
    """
    from registrar.administration import admin

    admin.retitle_offence(env.store(), env.actor(), code, name)
    click.echo(f"offence {code} retitled", err=True)


@reference_offence.command("retire")
@click.argument("code")
@pass_env
def reference_offence_retire(env: Env, code: str) -> None:
    """Retire an offence code (fcr or dfcr): crimes recorded under it keep it; nothing new may choose it.

    \b
    Example:
      registrar reference offence retire 88D
    """
    from registrar.administration import admin

    admin.retire(env.store(), env.actor(), "offence", code)
    click.echo(f"offence {code} retired", err=True)


@reference.command("ground")
@click.argument("code")
@click.option("--title", help="The ground's wording.")
@click.option("--confirmed/--unconfirmed", default=None, help="Whether the ground is confirmed in the current rules.")
@pass_env
def reference_ground(env: Env, code: str, title: str | None, confirmed: bool | None) -> None:
    """Edit a cancellation ground's wording (e.g. C5) or confirmed flag.

    \b
    Example:
      registrar reference ground C5 --title "Self-defence shown by AVI" --confirmed
    """
    from registrar.administration import admin

    admin.set_ground(env.store(), env.actor(), code, title, confirmed)
    click.echo(f"{code} updated", err=True)


@click.group()
def keys() -> None:
    """SSH keys of the server's front door: each key names one registrar (the FCR manages them)."""


@keys.command("add")
@click.argument("username")
@click.argument("keyfile", metavar="KEYFILE|-")
@pass_env
def keys_add(env: Env, username: str, keyfile: str) -> None:
    """Give a registrar an SSH key; it can then run only the gateway, as them.

    \b
    Example:
      sudo -u registrar registrar keys add dan ~dan/.ssh/id_ed25519.pub
      ssh registrar@server keys add dan - < dan.pub
    """
    from registrar.administration import keys as ssh_keys

    key = ssh_keys.parse_public_key(read_input(keyfile).decode("utf-8", errors="replace"))
    store = env.store()
    fingerprint = ssh_keys.add_key(store, env.actor(), username, key)
    target = ssh_keys.write_authorized_keys(store)
    click.echo(
        f"gave {username} key {fingerprint}"
        + (f"; rewrote {target}" if target else "; this is a personal store, so no authorized_keys was written"),
        err=True,
    )


@keys.command("remove")
@click.argument("fingerprint")
@pass_env
def keys_remove(env: Env, fingerprint: str) -> None:
    """Take a key away; the ledger keeps whose it was.

    \b
    Example:
      registrar keys remove SHA256:3q2+7w…
    """
    from registrar.administration import keys as ssh_keys

    store = env.store()
    owner = ssh_keys.remove_key(store, env.actor(), fingerprint)
    ssh_keys.write_authorized_keys(store)
    click.echo(f"removed {owner}'s key {fingerprint}", err=True)


@keys.command("list")
@output_options
@pass_env
def keys_list(env: Env, fmt: str) -> None:
    """List the keys that open the front door, with their registrar.

    \b
    Example:
      registrar keys list --csv
    """
    from registrar.administration import keys as ssh_keys

    env.actor()
    rows = ssh_keys.active_keys(env.store())
    show(
        render(rows, ("username", "fingerprint", "key_type", "comment", "added_at", "added_by", "active"), fmt),
        nl=False,
    )


@keys.command("sync")
@pass_env
def keys_sync(env: Env) -> None:
    """Rewrite the service account's authorized_keys from the store (after a restore, or a hand edit).

    \b
    Example:
      sudo -u registrar registrar keys sync
    """
    from registrar.administration import keys as ssh_keys

    target = ssh_keys.sync(env.store(), env.actor())
    click.echo(f"rewrote {target}", err=True)


@click.group()
def server() -> None:
    """Setting up a force server (run as root)."""


@server.command("setup")
@click.option("--account", default="registrar", show_default=True, help="The service account that owns the store.")
@click.option(
    "--store",
    "store_path",
    default="/srv/registrar/force.db",
    show_default=True,
    type=click.Path(),
    help="The store's absolute path; its directory becomes the account's, 0700.",
)
@click.option("--force", "force_code", required=True, metavar="CODE", help="This force's code, e.g. STA.")
@click.option("--fcr", required=True, metavar="USER", help="The FCR's registrar username (their OS login name).")
@click.option("--fcr-name", default="", help="The FCR's display name.")
@click.option("--fcr-key", type=click.Path(exists=True, dir_okay=False), help="The FCR's SSH public key.")
@click.option("--home", type=click.Path(), help="The account's home (default /var/lib/ACCOUNT).")
@click.option("--group", default="registrars", show_default=True, help="Group for the sudo front door.")
@click.option("--sudoers/--no-sudoers", default=False, help="Write /etc/sudoers.d/registrar-ACCOUNT for the group.")
@click.option(
    "--witness-file",
    type=click.Path(),
    help="Where root writes the store's head every few minutes (default /var/lib/registrar-witness/ACCOUNT.heads).",
)
def server_setup(account, store_path, force_code, fcr, fcr_name, fcr_key, home, group, sudoers, witness_file) -> None:
    """Create the service account, its private store, its authorized_keys and (if asked) the sudo rule.

    Idempotent: each step says what it did or what it found in place.

    \b
    Example:
      sudo registrar server setup --account registrar --store /srv/registrar/force.db \
        --force STA --fcr fiona --fcr-key /home/fiona/.ssh/id_ed25519.pub --sudoers
    """
    from registrar.administration import keys as ssh_keys
    from registrar.administration.server import Plan, setup
    from registrar.administration.witness import default_file

    if force_code not in force_codes():
        raise BadInput(f"{force_code!r} is not a force code; see `registrar reference list forces` on any store")
    plan = Plan(
        account=account,
        store=Path(store_path),
        force_code=force_code,
        fcr=fcr,
        fcr_name=fcr_name,
        home=Path(home or f"/var/lib/{account}"),
        group=group or None,
        sudoers=sudoers,
        fcr_key=fcr_key,
        program=ssh_keys.gateway_program(),
        administrator=os_account(),
        witness_file=Path(witness_file) if witness_file else default_file(account),
    )
    setup(plan, lambda line: click.echo(line))


@server.command("witness")
@click.option("--account", default="registrar", show_default=True, help="The service account that owns the store.")
@click.option("--store", "store_path", required=True, type=click.Path(), help="The store's absolute path.")
@click.option("--file", "heads", required=True, type=click.Path(), help="The heads file root keeps.")
@pass_env
def server_witness(env: Env, account: str, store_path: str, heads: str) -> None:
    """Append the store's head, with the time, to root's heads file (run as root by the timer setup installs).

    `log verify --witness FILE` then checks every head in it is on the chain.

    \b
    Example:
      sudo registrar server witness --account registrar --store /srv/registrar/force.db \
        --file /var/lib/registrar-witness/registrar.heads
    """
    from registrar.administration.server import witness

    click.echo(witness(account, Path(store_path), Path(heads), env.clock))


@click.command()
@pass_env
def upgrade(env: Env) -> None:
    """Apply the schema changes a newer registrar needs to a store made by an earlier one (back it up first).

    \b
    Example:
      registrar backup /var/backups/registrar/before-upgrade.db && registrar upgrade
    """
    from registrar.administration.keys import write_authorized_keys
    from registrar.storage import ledger
    from registrar.storage.upgrade import upgrade as upgrade_store

    store = upgrade_store(env.db_path, env.clock)
    rewritten = write_authorized_keys(store)  # a service store's keys, as the upgraded store now holds them
    if rewritten is not None:
        click.echo(f"rewrote {rewritten} from the store", err=True)
    click.echo(f"{env.db_path} is up to date (ledger head {ledger.head(store.conn)})", err=True)


@click.command()
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
@pass_env
def backup(env: Env, target: Path) -> None:
    """Copy the live store consistently to a new private file, verify the copy, and print its head.

    Safe while others decide (SQLite's online backup); it never overwrites a file.

    \b
    Example:
      registrar backup /var/backups/registrar/force-$(date +%F).db
    """
    from registrar.storage.backup import backup as copy_store

    copied = copy_store(env.store(), target)
    result = copied.verification
    click.echo(f"backed up to {target}: {result.entries} entries and {result.rows} rows verified", err=True)
    click.echo(str(result.head))


@click.command()
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@pass_env
def restore(env: Env, source: Path) -> None:
    """Put a verified backup in place of the store; refused if the store holds entries the backup lacks.

    A damaged store that cannot be opened is first moved aside (`mv force.db force.db.damaged`).

    \b
    Example:
      registrar --db /srv/registrar/force.db restore /var/backups/registrar/force-2026-11-23.db
    """
    from registrar.storage.backup import restore as put_back

    restored = put_back(source, env.db_path, env.clock)
    click.echo(f"restored {env.db_path} from {source}: {restored.verification.entries} entries verified", err=True)
    click.echo(str(restored.verification.head))
