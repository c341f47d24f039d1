#!/usr/bin/env python3
"""Fetches the receipt-OCR models into a folder (default models/ocr, or $PLAZA_OCR_MODELS).

The PP-OCRv4 detection and recognition models come from the PyPI wheel rapidocr-onnxruntime
(Apache-2.0), fetched with pip; the wheel and both models are checked against pinned SHA-256
sums. The recognition dictionary lives in the recognition model's ONNX metadata (key
`character`), which rten does not read, so it is written out once to dict.txt.

Idempotent: exits at once when every file is present with the expected checksum.
Standard library only (pip is the only tool it runs). See docs/decisions/0007-receipt-ocr.md.
"""

import hashlib
import os
import subprocess
import sys
import tempfile
import zipfile

WHEEL = "rapidocr-onnxruntime==1.4.4"
WHEEL_FILE = "rapidocr_onnxruntime-1.4.4-py3-none-any.whl"
WHEEL_SHA256 = "971d7d5f223a7a808662229df1ef69893809d8457d834e6373d3854bc1782cbf"
# name in the folder -> (path inside the wheel, SHA-256)
MODELS = {
    "det.onnx": (
        "rapidocr_onnxruntime/models/ch_PP-OCRv4_det_infer.onnx",
        "d2a7720d45a54257208b1e13e36a8479894cb74155a5efe29462512d42f49da9",
    ),
    "rec.onnx": (
        "rapidocr_onnxruntime/models/ch_PP-OCRv4_rec_infer.onnx",
        "48fc40f24f6d2a207a2b1091d3437eb3cc3eb6b676dc3ef9c37384005483683b",
    ),
}
DICT_FILE = "dict.txt"
DICT_SHA256 = "a1c84d9bdb9ab29043c58896224d32941783eb821629618416dcb08f12886492"


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def present(folder):
    wanted = {name: sha for name, (_, sha) in MODELS.items()}
    wanted[DICT_FILE] = DICT_SHA256
    for name, sha in wanted.items():
        path = os.path.join(folder, name)
        if not os.path.isfile(path) or sha256(path) != sha:
            return False
    return True


def varint(data, pos):
    value = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, pos
        shift += 7


def fields(data):
    """Top-level fields of a protobuf message: (number, wire type, value)."""
    pos = 0
    while pos < len(data):
        key, pos = varint(data, pos)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, pos = varint(data, pos)
        elif wire == 1:
            value, pos = data[pos : pos + 8], pos + 8
        elif wire == 2:
            length, pos = varint(data, pos)
            value, pos = data[pos : pos + length], pos + length
        elif wire == 5:
            value, pos = data[pos : pos + 4], pos + 4
        else:
            raise ValueError(f"unsupported protobuf wire type {wire}")
        yield number, wire, value


def onnx_metadata(model_bytes):
    """ModelProto.metadata_props (field 14): StringStringEntryProto {key = 1, value = 2}."""
    props = {}
    for number, wire, value in fields(model_bytes):
        if number == 14 and wire == 2:
            entry = {n: v for n, w, v in fields(value) if w == 2}
            props[entry.get(1, b"").decode()] = entry.get(2, b"").decode()
    return props


def main():
    folder = os.environ.get("PLAZA_OCR_MODELS") or "models/ocr"
    if present(folder):
        return 0
    os.makedirs(folder, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        print(f"[setup] fetching the OCR models ({WHEEL}, ~15 MB) into {folder}", flush=True)
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary", ":all:",
             "--dest", tmp, WHEEL],
            check=True,
        )
        wheel = os.path.join(tmp, WHEEL_FILE)
        if sha256(wheel) != WHEEL_SHA256:
            sys.exit(f"{WHEEL_FILE}: checksum mismatch (expected {WHEEL_SHA256}); refusing it")
        with zipfile.ZipFile(wheel) as archive:
            for name, (member, sha) in MODELS.items():
                data = archive.read(member)
                if hashlib.sha256(data).hexdigest() != sha:
                    sys.exit(f"{member}: checksum mismatch (expected {sha})")
                with open(os.path.join(folder, name + ".part"), "wb") as f:
                    f.write(data)
                os.replace(os.path.join(folder, name + ".part"), os.path.join(folder, name))
    with open(os.path.join(folder, "rec.onnx"), "rb") as f:
        characters = onnx_metadata(f.read()).get("character")
    if not characters:
        sys.exit("rec.onnx has no `character` metadata: not the expected recognition model")
    text = "\n".join(characters.splitlines()) + "\n"
    if hashlib.sha256(text.encode()).hexdigest() != DICT_SHA256:
        sys.exit(f"{DICT_FILE}: the exported dictionary differs from the pinned one (expected {DICT_SHA256})")
    with open(os.path.join(folder, DICT_FILE), "w", encoding="utf-8") as f:
        f.write(text)
    print(f"[setup] OCR models ready: {', '.join(sorted(MODELS))}, {DICT_FILE} ({len(characters.splitlines())} characters)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
