from django.core.management.base import BaseCommand

from chongdich.vaccination import signing


class Command(BaseCommand):
    help = (
        "Make the deployment's certificate signing key if there is none (CHONGDICH_SIGNING_KEY_FILE) and print "
        "its key id and public key; --rotate replaces it (docs/vaccination/certificates.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--rotate",
            action="store_true",
            help="Retire the current key (kept beside it as <file>.<kid>.retired) and make a new one.",
        )
        parser.add_argument("--pem", action="store_true", help="Also print the public key as PEM.")

    def handle(self, *args, rotate: bool = False, pem: bool = False, **options):
        if rotate:
            old, key = signing.rotate()
            self.stdout.write(f"retired key: {old.kid} (kept as {old.path.name}.{old.kid}.retired)")
            self.stdout.write(
                "Certificates it signed stay verifiable once its public key is in CHONGDICH_SIGNING_PUBLIC_KEYS:"
            )
            self.stdout.write(f"  CHONGDICH_SIGNING_PUBLIC_KEYS={old.public_b64}")
        else:
            key = signing.signing_key()
        self.stdout.write(f"key file: {key.path}")
        self.stdout.write(f"key id: {key.kid}")
        self.stdout.write(f"public key (Ed25519, raw, base64url): {key.public_b64}")
        if pem:
            self.stdout.write(key.public_pem.rstrip())
