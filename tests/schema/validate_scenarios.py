#!/usr/bin/env python3
"""Validates every shipped scenario (scenarios/library/*.json) and example fault plan
(examples/faults/*.json) against docs/scenario.schema.json, and checks that the schema refuses a
few documents the loader refuses, so that a schema accepting everything fails too.

    python3 tests/schema/validate_scenarios.py SOURCE_DIR
Exit 0 when all hold; 1 naming each file and JSON path otherwise (2 when jsonschema is missing).
"""
import json
import pathlib
import sys

import schema_check


def main(root):
    root = pathlib.Path(root)
    schema = json.loads((root / "docs" / "scenario.schema.json").read_text())
    scenario = schema_check.validator_for("validate_scenarios", schema)
    plan = schema_check.validator_for(
        "validate_scenarios", {"$defs": schema["$defs"], "$ref": "#/$defs/fault_plan"})
    files = [(p, scenario) for p in sorted((root / "scenarios" / "library").glob("*.json"))]
    files += [(p, plan) for p in sorted((root / "examples" / "faults").glob("*.json"))]
    base = json.loads((root / "scenarios" / "library" / "failed_list_retried.json").read_text())
    refused = {
        "an unknown top-level key": lambda s: s.update(colour="blue"),
        "a fault parameter of another kind": lambda s: s["endpoints"][0]["faults"][0].update(status=503),
        "a retry object with an unknown key": lambda s: s["delivery"].update(
            retry={"kind": "exponential", "base": "1s", "factor": 2, "ceiling": "1h"}),
        "a list policy without intervals": lambda s: s["delivery"].update(retry={"kind": "list"}),
        "a request condition on a connection fault": lambda s: s["endpoints"][0]["faults"][0].update(
            when={"record_id": "0015g0000000007"}),
        "an action without a row": lambda s: s["actions"].append({"at": "1s", "do": "retry"}),
        "an unknown failure class": lambda s: s["expectations"].update(failures={"refuse": 1}),
        "drain_time inside a definition": lambda s: s["expectations"].update(
            definitions={"Notify_ERP_DLQ": {"drain_time": "1h"}}),
        "final_status inside an endpoint": lambda s: s["expectations"].update(
            endpoints={"erp": {"final_status": {"queued": 0}}}),
        "a latency range with an unknown bound": lambda s: s["expectations"].update(
            latency={"end_to_end": {"p99": {"least": "1s"}}}),
    }
    return schema_check.run("validate_scenarios", root, "docs/scenario.schema.json", files,
                            scenario, base, refused)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "."))
