from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from chongdich.dashboard.actions import DEFAULT_TOLERANCE, BoundaryError, load_boundaries


class Command(BaseCommand):
    help = (
        "Load unit boundaries (polygons) from a GeoJSON file for the epidemic map: each feature is matched "
        "to a unit by a code property, simplified and stored; the map then draws polygons instead of circles."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="a GeoJSON FeatureCollection (WGS 84 longitude/latitude)")
        parser.add_argument(
            "--property",
            dest="prop",
            default=None,
            help="the feature property holding the unit code (default: the first found of "
            "code, ma, ma_xa, MA_XA, ADM3_PCODE, …)",
        )
        parser.add_argument(
            "--tolerance",
            type=float,
            default=DEFAULT_TOLERANCE,
            help=f"simplification tolerance in degrees (default {DEFAULT_TOLERANCE}, about 55 m; 0 keeps every vertex)",
        )
        parser.add_argument(
            "--skip-unmatched",
            action="store_true",
            help="load the features that match and list the others, instead of refusing the file",
        )
        parser.add_argument(
            "--source",
            default="",
            help="where the outlines come from, with their licence: stored with them and shown on the map "
            "(default: the file's name)",
        )
        parser.add_argument(
            "--within",
            default="",
            metavar="CODE",
            help="load only the features of units inside this unit (e.g. a province's districts from the "
            "whole country's file); the others are left out silently",
        )
        parser.add_argument("--dry-run", action="store_true", help="check and report, save nothing")

    def handle(self, *args, file, prop, tolerance, skip_unmatched, dry_run, source, within, **options):
        try:
            result = load_boundaries(
                file,
                prop=prop,
                tolerance=tolerance,
                skip_unmatched=skip_unmatched,
                dry_run=dry_run,
                source=source,
                within=within,
            )
        except BoundaryError as error:
            for line in error.problems[:50]:
                self.stderr.write(f"  - {line}")
            if len(error.problems) > 50:
                self.stderr.write(f"  … {len(error.problems) - 50} more")
            raise CommandError(str(error)) from None
        for line in result.skipped[:50]:
            self.stderr.write(f"  skipped: {line}")
        verb = "would load" if dry_run else "loaded"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} {result.loaded} boundaries: {result.vertices_before:,} → {result.vertices_after:,} vertices, "
                f"{result.bytes / 1024:.0f} KB of geometry"
                + (f"; {len(result.skipped)} skipped" if result.skipped else "")
            )
        )
