"""``python -m guidance_audit`` runs the command line."""
from .cli import main

raise SystemExit(main())
