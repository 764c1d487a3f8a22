"""``ccperf``: the one command operators use (serve, migrate, token, demo)."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import click

from services.common.settings import SERVICES, Settings, SettingsError


def migrations_dir() -> Path:
    """migrations/ beside the source tree (or CCPERF_MIGRATIONS_DIR in an image)."""
    configured = os.environ.get("CCPERF_MIGRATIONS_DIR")
    return Path(configured) if configured else Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(database_url: str) -> object:
    from alembic.config import Config  # noqa: PLC0415 (keep `ccperf --help` fast)

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def _settings() -> Settings:
    try:
        return Settings.from_env()
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from exc


@click.group()
def main() -> None:
    """ccperf: contact-center performance metrics, appraisal and payroll bridge."""


@main.command()
@click.argument("service", type=click.Choice([*SERVICES, "all"]))
def serve(service: str) -> None:
    """Serve one service (or all three in this process) until SIGTERM."""
    from services.app import start_services  # noqa: PLC0415
    from services.common.grpc_server import serve_until_signalled  # noqa: PLC0415
    from services.common.log import configure_logging  # noqa: PLC0415
    from services.common.observability import (  # noqa: PLC0415
        setup_tracing,
        start_metrics_endpoint,
    )

    settings = _settings()
    configure_logging(settings.log_format, settings.log_level)
    names = list(SERVICES) if service == "all" else [service]
    setup_tracing(service, settings.otel_enabled)
    start_metrics_endpoint(settings.prometheus_port)
    process = start_services(names, settings)
    serve_until_signalled(process.servers)
    for worker in process.background:
        worker.stop()
    process.engine.dispose()


@main.command()
@click.option("--check", is_flag=True, help="Fail if the models and the migrations differ.")
@click.option("--revision", default="head", show_default=True, help="Target revision.")
def migrate(check: bool, revision: str) -> None:
    """Upgrade the database at DATABASE_URL to the latest schema."""
    from alembic import command  # noqa: PLC0415

    config = alembic_config(_settings().database_url)
    command.upgrade(config, revision)  # type: ignore[arg-type]
    if check:
        command.check(config)  # type: ignore[arg-type]
    click.echo(f"database at revision {revision}")


@main.command()
@click.option("--sub", "subject", required=True, help="Employee id or system name.")
@click.option("--roles", required=True, help="Comma-separated roles, e.g. hr,perf_admin.")
@click.option("--ttl-hours", default=12.0, show_default=True)
def token(subject: str, roles: str, ttl_hours: float) -> None:
    """Mint a dev HS256 token with the configured (or dev) secret."""
    from services.common.auth import Role, mint_token  # noqa: PLC0415

    settings = _settings()
    secret = settings.effective_jwt_secret
    if secret is None:
        raise click.ClickException("no HS256 secret configured (CCPERF_JWT_SECRET)")
    try:
        role_list = [Role(r.strip()) for r in roles.split(",") if r.strip()]
    except ValueError as exc:
        raise click.BadParameter(f"{exc}; roles are {', '.join(Role)}") from exc
    click.echo(
        mint_token(
            secret=secret,
            subject=subject,
            roles=role_list,
            ttl=dt.timedelta(hours=ttl_hours),
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
        )
    )


@main.command()
def demo() -> None:
    """Migrate, start the three services, load a demo org over gRPC, show the flow."""
    from services.demo import run_demo  # noqa: PLC0415

    sys.exit(run_demo(_settings()))


def _register_subcommands() -> None:
    from services.metrics.import_cli import import_group  # noqa: PLC0415
    from services.metrics.kpis_cli import kpis_command  # noqa: PLC0415
    from services.payroll_bridge.export_cli import payroll_group  # noqa: PLC0415

    main.add_command(import_group)
    main.add_command(kpis_command)
    main.add_command(payroll_group)


_register_subcommands()


if __name__ == "__main__":
    main()
