"""What a model file really is, read from its bytes without running any of it."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Literal

from aitrader.ml.errors import ModelFormatError

Kind = Literal["pickle", "compressed_pickle", "torchscript", "torch_pickle", "onnx"]
EXTENSIONS: dict[str, tuple[Kind, ...]] = {
    ".pkl": ("pickle", "compressed_pickle"),
    ".pickle": ("pickle", "compressed_pickle"),
    ".joblib": ("pickle", "compressed_pickle"),
    ".onnx": ("onnx",),
    ".pt": ("torchscript",),
    ".pth": ("torchscript",),
}
_COMPRESSED = (b"\x78\x01", b"\x78\x5e", b"\x78\x9c", b"\x78\xda", b"\x1f\x8b", b"BZh",
               b"\xfd7zXZ", b"\x04\x22\x4d\x18")


def sniff(path: Path) -> Kind:
    """The file's kind from its content; ModelFormatError if it is none of the known ones."""
    if not path.is_file():
        raise ModelFormatError(f"model file {path} does not exist")
    with path.open("rb") as fh:
        head = fh.read(8)
    if not head:
        raise ModelFormatError(f"{path}: the file is empty")
    if head[:1] == b"\x80" and len(head) > 1 and 2 <= head[1] <= 5:
        return "pickle"
    if any(head.startswith(m) for m in _COMPRESSED):
        return "compressed_pickle"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(path)
    if head[:1] == b"\x08":  # protobuf field 1 (ir_version), varint: an ONNX ModelProto
        return "onnx"
    raise ModelFormatError(f"{path}: unknown model format (first bytes {head!r}); expected a "
                           "pickle/joblib, ONNX or TorchScript file")


def _zip_kind(path: Path) -> Kind:
    try:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
            broken = zf.testzip()
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise ModelFormatError(f"{path}: truncated or corrupt zip archive ({exc})") from None
    if broken is not None:
        raise ModelFormatError(f"{path}: truncated or corrupt archive member {broken}")
    if any("/code/" in n for n in names):
        return "torchscript"
    if any(n.endswith("data.pkl") for n in names):
        return "torch_pickle"
    raise ModelFormatError(f"{path}: a zip archive that is neither TorchScript nor torch.save")


def check_extension(path: Path, kind: Kind) -> None:
    """The extension must promise what the content is (no ONNX name on a pickle)."""
    ext = path.suffix.lower()
    allowed = EXTENSIONS.get(ext)
    if allowed is None:
        raise ModelFormatError(f"{path}: unsupported model extension {ext!r} "
                               f"(supported: {', '.join(sorted(EXTENSIONS))})")
    if kind == "torch_pickle":
        raise ModelFormatError(f"{path}: a torch.save() pickle archive, not TorchScript; export "
                               "with torch.jit.script(model).save(path)")
    if kind not in allowed:
        raise ModelFormatError(f"{path}: the extension {ext} needs {' or '.join(allowed)} "
                               f"content, but the file is {kind}")


def check_pickle_complete(path: Path) -> None:
    """An uncompressed pickle ends with the STOP opcode; anything else was cut short."""
    with path.open("rb") as fh:
        fh.seek(-1, 2)
        last = fh.read(1)
    if last != b".":
        raise ModelFormatError(f"{path}: truncated pickle (no STOP opcode at the end)")
