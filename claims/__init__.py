"""The bundled fact packs (YAML). Data only; loaded by :mod:`guidance_audit.factbase`."""
