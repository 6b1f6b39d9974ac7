"""Loaders: country data files -> tidy records -> RDF observations -> SHACL -> the store.

One way through, one job per module:

- ``tables``: any TSV/CSV/xlsx as rows of cells numbered like a spreadsheet;
- ``detect``: which layout (``espar``, ``jee``, ``gho``, ``tidy``) from the content;
- ``espar``, ``jee``, ``gho``, ``tidy``: a layout's rows -> ``records.Record``
  (``headers``: header rows and title years of WHO workbooks; ``jee_sheets``: analysts'
  code-and-title JEE sheets; ``questionnaire``: the 2010-2017 instrument, refused);
- ``cells``: one value cell -> a number, an absent value, or a bad cell reported;
- ``countries``: WHO English names -> ISO3 (pycountry + ``data/country_aliases.csv``);
- ``to_rdf``: records -> one named graph per file (observations, PROV, qb:DataSet);
- ``validate``: ``shapes/observations.ttl`` over the new graphs + the catalogue;
- ``load``: ``validate_files`` and ``load_files`` (one atomic ``replace_graphs`` call);
  ``lenient``: with ``--skip-invalid``, cells the shapes reject are skipped, not fatal.

Every problem is a ``errors.LoadError`` naming file, sheet, row, column and value.
(``catalogue`` and ``crosswalks`` build the framework catalogue itself.)
"""
