"""The report renderers: one module per form, all depending on :mod:`guidance_audit.models` only.

| module | gives |
|---|---|
| :mod:`.model` | :class:`AuditReport` and :class:`ErrorEntry`, the report as data |
| :mod:`.text` | the terminal report (``--format text``) |
| :mod:`.json_report` | the JSON report (schema_version "1") and JSON Lines |
| :mod:`.html` | one self-contained HTML page, or a folder with an index |
| :mod:`.markdown` | Markdown for pasting into an issue |
| :mod:`.sarif` | SARIF 2.1.0 for code scanning tools |
| :mod:`.tabular` | CSV rows and the pandas ``DataFrame`` |
| :mod:`.formats` | the command line's ``--format`` registry, :data:`~.formats.RENDERERS` |
| :mod:`.escaping` | untrusted strings written safely: JSON escapes, terminal escapes, non-UTF-8 names |
| :mod:`.source_lines` | a text file's own lines and columns, recorded by the text reader |

Nothing here imports the reading or auditing machinery (readers, ``segment``, ``match``,
``check``, ``auditor``), so a renderer can be used on stored or hand-built reports. The old module
names (``guidance_audit.report``, ``html_report``, ``markdown_report``, ``sarif``, ``tabular``,
``formats``, ``_present``, ``escaping``, ``source_lines``) still import the same objects.
"""
