"""The frame the schema tests share (validate_scenarios.py, validate_load_profiles.py): every
shipped file must pass its schema, and the schema must refuse documents the loader refuses, so
that a schema accepting everything fails too.

    import schema_check
    sys.exit(schema_check.run("validate_x", root, "docs/x.schema.json", files, validator, base,
                              refusals))
"""
import copy
import json
import pathlib
import sys


def validator_for(name, schema):
    """A Draft 2020-12 validator of `schema`; exits 2 when python3-jsonschema is missing."""
    try:
        import jsonschema
    except ImportError:
        print(f"{name}: python3-jsonschema is not installed (scripts/setup installs it)",
              file=sys.stderr)
        sys.exit(2)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def errors(validator, document):
    return sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))


def run(name, root, schema_file, files, validator, base, refusals):
    """Checks each of `files` ([(path, its validator)]), then that `validator` refuses `base`
    changed by each of `refusals` ({what: change}). Prints each problem with its file and JSON
    path; returns the exit code (0 or 1)."""
    root = pathlib.Path(root)
    failed = 0
    for path, file_validator in files:
        for e in errors(file_validator, json.loads(path.read_text())):
            failed += 1
            where = "/" + "/".join(str(p) for p in e.absolute_path)
            print(f"{path.relative_to(root)}: {where}: {e.message}", file=sys.stderr)
    for what, change in refusals.items():
        doc = copy.deepcopy(base)
        change(doc)
        if not errors(validator, doc):
            failed += 1
            print(f"{schema_file} accepts {what}", file=sys.stderr)
    print(f"{name}: {len(files)} files, {len(refusals)} refusals, {failed} problems")
    return 1 if failed else 0
