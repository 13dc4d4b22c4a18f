#!/usr/bin/env python3
"""Validates every shipped load profile (examples/load/*.json) against
docs/load-profile.schema.json, and checks that the schema refuses a few documents the loader
(modes/load_profile.cpp) refuses, so that a schema accepting everything fails too.

    python3 tests/schema/validate_load_profiles.py SOURCE_DIR
Exit 0 when all hold; 1 naming each file and JSON path otherwise (2 when jsonschema is missing).
"""
import json
import pathlib
import sys

import schema_check


def main(root):
    root = pathlib.Path(root)
    schema = json.loads((root / "docs" / "load-profile.schema.json").read_text())
    validator = schema_check.validator_for("validate_load_profiles", schema)
    files = [(p, validator) for p in sorted((root / "examples" / "load").glob("*.json"))]
    base = json.loads((root / "examples" / "load" / "ramp_hold.json").read_text())
    refused = {
        "an unknown top-level key": lambda p: p.update(stage=[]),
        "no stage": lambda p: p.update(stages=[]),
        "a stage without a duration": lambda p: p["stages"][0].pop("duration"),
        "a stage of 0s": lambda p: p["stages"][1].update(duration="0s"),
        "a stage with rate and to": lambda p: p["stages"][1].update(to="5/s"),
        "a stage with from only": lambda p: p["stages"].append({"duration": "1s", "from": "5/s"}),
        "a negative rate": lambda p: p["stages"][1].update(rate=-1),
        "a rate per fortnight": lambda p: p["stages"][1].update(rate="5/fortnight"),
        "a batch of 101": lambda p: p["definitions"][1].update(batch=101),
        "a batch choice without weight": lambda p: p["definitions"][1].update(
            batch={"choices": [{"size": 5}]}),
        "a weight of 0": lambda p: p["definitions"][0].update(weight=0),
        "a message without a definition": lambda p: p["definitions"].append({"message": "X"}),
        "0 connections": lambda p: p.update(connections=0),
        "a timeout as a number": lambda p: p.update(timeout=30),
        "a threshold without an operator": lambda p: p["thresholds"].append("p99"),
    }
    code = schema_check.run("validate_load_profiles", root, "docs/load-profile.schema.json", files,
                            validator, base, refused)
    if len(files) < 2:
        print("validate_load_profiles: fewer than 2 profiles in examples/load", file=sys.stderr)
        code = 1
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "."))
