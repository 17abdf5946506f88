"""Bulk import of an agency's records: the file format (`docs/import-format.md`) and its parser.

`reader.read_records` turns a CSV or JSON Lines file into a stream of `CaseRecord`, `PersonRecord` and `Rejected`,
checked by the same models and rules as the API's openCase, addPerson and addIdentifier. Nothing here writes.
"""
