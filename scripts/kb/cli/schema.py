"""`kb schema`: the JSON Schema of every collection's front matter, for editors' IDEs (schemas/)."""

from __future__ import annotations

import json
from pathlib import Path

from ..collections import REGISTRY
from ..content import fields
from .common import ROOT


def json_schemas() -> dict[str, str]:
    """File name -> JSON text, one per collection (and one for English pages)."""
    out = {}
    for collection in REGISTRY:
        name = collection.name
        schema = collection.model.model_json_schema()
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["title"] = f"{collection.titles['zh']}（{name}）front matter"
        out[f"{name}.schema.json"] = json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
    translation_models = {fields.Translation: "translation"}
    for collection in REGISTRY:
        translation_models.setdefault(collection.translation_model, f"{collection.name}-translation")
    for model_cls, name in translation_models.items():
        schema = model_cls.model_json_schema()
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        out[f"{name}.schema.json"] = json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
    return out


def cmd_schema(args) -> int:
    out_dir = Path(args.out)
    stale = []
    for name, text in json_schemas().items():
        target = out_dir / name
        if args.check:
            if not target.exists() or target.read_text("utf-8") != text:
                stale.append(str(target))
        else:
            out_dir.mkdir(parents=True, exist_ok=True)
            target.write_text(text, "utf-8")
    if args.check and stale:
        print("以下 JSON Schema 文件已过期，请运行 kb schema 重新生成：\n" + "\n".join(stale))
        return 1
    return 0


def register(sub) -> None:
    s = sub.add_parser("schema", help="导出 JSON Schema")
    s.add_argument("--out", default=str(ROOT / "schemas"))
    s.add_argument("--check", action="store_true", help="只比较，过期时返回 1")
    s.set_defaults(func=cmd_schema)
