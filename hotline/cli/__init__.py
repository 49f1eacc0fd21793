"""The `hotline` command: set-up, tenants, documents, and starting the product."""

from __future__ import annotations

import click

from .doctor import doctor_commands
from .documents import documents_commands
from .recordings import recordings_commands
from .reports import reports as reports_group
from .runtime import runtime_commands
from .serve import serve_commands
from .tenants import tenant_commands
from .users import user_commands
from .vendors import vendors_commands


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--config", "config_path", type=click.Path(dir_okay=False), envvar="HOTLINE_CONFIG",
              help="Settings file (default: config.toml of the repository).")
@click.pass_context
def main(ctx: click.Context, config_path: str | None) -> None:
    """Hotline: multi-tenant low-code platform for shared customer-service centers."""
    from .context import CliContext

    ctx.obj = CliContext(config_path)


for group in (tenant_commands, user_commands, documents_commands, serve_commands, runtime_commands,
              doctor_commands, recordings_commands, vendors_commands):
    for command in group:
        main.add_command(command)
main.add_command(reports_group)
