"""Would a query encoder tuned on the development question sets give more right lines? (issue 12)

Not part of the app; needs torch, which the app never uses (run it from a separate venv that has
torch, with the project's venv on PYTHONPATH for numpy, tokenizers and ctranslate2):

    python3 -m venv /tmp/ft-venv && /tmp/ft-venv/bin/pip install torch==2.13.0
    PYTHONPATH=.:.venv/lib/python3.11/site-packages /tmp/ft-venv/bin/python \
        tools/experiments/tune_query_encoder.py --test h2,h5,h8,h11 [--epochs 3] [--out DIR]

Every stop since the sentence encoder came in found the same limit: all-MiniLM-L6-v2 ranks the
right passage first for about three answerable questions in four, but scores its near duplicate
about as high, so the hybrid gate (copilot/knowledge/hybrid.py) can give a line to only half of
them. This asks whether that ranking can be taught. Only the *query* side is tuned: passages
keep the shipped encoder's vectors (the vector cache, a site's index and every passage-side
figure stay as they are), and a copy of the encoder learns to put a caller's words where the
right passage's units are. The loss is the runtime's own ranking: a passage's score is
0.7 x its best unit + 0.3 x its second (copilot/knowledge/vectors.py), a softmax over all the
passages of the question's own base, cross-entropy on the expected one(s); so a near duplicate in
the same base is always a negative. Training questions: every single-turn question of the
training sets (follow-ups need their earlier turns, which the gate reads apart), and each
passage's "Customers ask:" lines as questions about the passage's own text (asks left out of
the scores, as the gate's "text alone" check reads them). Unanswerable questions may not score
higher than the shipped encoder scores them, and every query stays near its shipped vector
(a drift term), so the gate's levels keep their meaning.

The sets in --test are never trained on; they are then run through the whole pipeline
(copilot/knowledge/evaluate.py: topic, hybrid gate, cards) with the tuned query encoder, side by
side with the shipped one in the same run.
"""

from __future__ import annotations

import argparse
import json
import random
import struct
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools" / "experiments"))

from question_sets import SETS  # noqa: E402

from copilot import resolver  # noqa: E402
from copilot.knowledge import evaluate  # noqa: E402
from copilot.knowledge import vectors as kb_vectors  # noqa: E402
from copilot.knowledge.base import WINDOW  # noqa: E402
from copilot.knowledge.encoder import SentenceEncoder  # noqa: E402
from copilot.knowledge.loading import open_knowledge  # noqa: E402
from copilot.settings import Settings  # noqa: E402
from models import minilm  # noqa: E402


@dataclass
class Units:
    """One base's unit vectors (shipped encoder), laid out for the runtime's passage score."""
    vecs: torch.Tensor   # [units, dim]
    idx: torch.Tensor    # [passages, max units] unit index per passage (padded with 0)
    ok: torch.Tensor     # [passages, max units] real unit (all units)
    ok_text: torch.Tensor  # the same without "Customers ask:" units


@dataclass
class Example:
    base: str
    text: str
    expect: list[int]
    text_only: bool
    kind: str


def collect(names: list[str], follow_ups: bool = False
            ) -> tuple[dict[str, Units], list[Example]]:
    units: dict[str, Units] = {}
    examples: list[Example] = []
    for name in names:
        kb_dir, questions = SETS[name]
        kb = open_knowledge(Settings(), ROOT / kb_dir)
        try:
            v = kb.vectors
            owner = v.owner
            asked = np.zeros(len(owner), dtype=bool)
            asked[np.argsort(owner, kind="stable")] = v._asked
            order = [np.flatnonzero(owner == i) for i in range(v.count)]
            width = max(len(o) for o in order)
            idx = np.zeros((v.count, width), dtype=np.int64)
            ok = np.zeros((v.count, width), dtype=bool)
            for i, o in enumerate(order):
                idx[i, :len(o)] = o
                ok[i, :len(o)] = True
            units[name] = Units(torch.from_numpy(v.vectors.copy()), torch.from_numpy(idx),
                                torch.from_numpy(ok), torch.from_numpy(ok & ~asked[idx]))
            mend = kb._rejoiner.mend if kb._rejoiner is not None else (lambda t: t)
            for c in evaluate.load_cases(ROOT / questions):
                if c.lang and c.lang != kb.lang:
                    continue
                expect = [kb._index[e] for e in c.expect]
                if c.context:  # what the runtime embeds for a follow-up: the turns together
                    if follow_ups and expect:
                        said = [mend(u) for u in c.said][-WINDOW:]
                        examples.append(Example(name, " ".join(said), expect, False,
                                                "follow_up"))
                    continue
                examples.append(Example(name, mend(c.utterance), expect, False, c.group))
            for i, p in enumerate(kb._rows):
                for ask in p.asks:
                    examples.append(Example(name, ask, [i], True, "asks"))
        finally:
            kb.close()
    return units, examples


class Bert(torch.nn.Module):
    """BERT as models/minilm.py's numpy reference reads it, with the weights as parameters."""

    def __init__(self, weights: dict[str, np.ndarray], cfg: dict, lora: int = 0) -> None:
        super().__init__()
        self.names = [k for k, a in weights.items() if a.dtype.kind == "f"]
        self.params = torch.nn.ParameterList(
            [torch.nn.Parameter(torch.tensor(np.asarray(weights[k], dtype=np.float32)),
                                requires_grad=not lora)
             for k in self.names])
        # Low-rank updates (LoRA) of every linear layer's weight: W + B A. What a pack would
        # carry is then A and B (about 0.7 M numbers at rank 16), not a second model.
        self.layers = int(cfg["num_hidden_layers"])
        self.heads = int(cfg["num_attention_heads"])
        self.eps = float(cfg.get("layer_norm_eps", 1e-12))
        self.lora = torch.nn.ParameterDict()
        if lora:
            for k in self.names:
                if k.startswith("encoder.layer.") and k.endswith(".weight") \
                        and weights[k].ndim == 2:
                    out, inp = weights[k].shape
                    key = k.replace(".", "_")
                    self.lora[key + "_A"] = torch.nn.Parameter(torch.randn(lora, inp) * 0.01)
                    self.lora[key + "_B"] = torch.nn.Parameter(torch.zeros(out, lora))

    def merged(self) -> dict[str, torch.Tensor]:
        w = {n: p for n, p in zip(self.names, self.params, strict=True)}
        for n in list(w):
            key = n.replace(".", "_")
            if key + "_A" in self.lora:
                w[n] = w[n] + self.lora[key + "_B"] @ self.lora[key + "_A"]
        return w

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        w = self.merged()
        b, n = ids.shape
        x = (w["embeddings.word_embeddings.weight"][ids]
             + w["embeddings.position_embeddings.weight"][:n][None]
             + w["embeddings.token_type_embeddings.weight"][0])
        x = F.layer_norm(x, x.shape[-1:], w["embeddings.LayerNorm.weight"],
                         w["embeddings.LayerNorm.bias"], self.eps)
        bias = (~mask)[:, None, None, :].float() * -1e9
        for i in range(self.layers):
            p = f"encoder.layer.{i}."

            def lin(t: torch.Tensor, name: str) -> torch.Tensor:
                return F.linear(t, w[name + ".weight"], w[name + ".bias"])

            q, k, v = (lin(x, p + f"attention.self.{m}").view(b, n, self.heads, -1)
                       .transpose(1, 2) for m in ("query", "key", "value"))
            att = torch.softmax(q @ k.transpose(-1, -2) / q.shape[-1] ** 0.5 + bias, -1)
            ctx = (att @ v).transpose(1, 2).reshape(b, n, -1)
            x = F.layer_norm(x + lin(ctx, p + "attention.output.dense"), x.shape[-1:],
                             w[p + "attention.output.LayerNorm.weight"],
                             w[p + "attention.output.LayerNorm.bias"], self.eps)
            h = F.gelu(lin(x, p + "intermediate.dense"))
            x = F.layer_norm(x + lin(h, p + "output.dense"), x.shape[-1:],
                             w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"],
                             self.eps)
        m = mask[..., None].float()
        pooled = (x * m).sum(1) / m.sum(1).clamp(min=1.0)
        return F.normalize(pooled, dim=-1)


def passage_scores(q: torch.Tensor, u: Units, text_only: bool) -> torch.Tensor:
    sims = u.vecs @ q
    ok = u.ok_text if text_only else u.ok
    s = torch.where(ok, sims[u.idx], torch.tensor(-2.0))
    top = torch.topk(s, min(2, s.shape[1]), dim=1).values
    second = torch.where(top[:, -1] > -1.5, top[:, -1], top[:, 0])
    return kb_vectors.BEST_WEIGHT * top[:, 0] + (1 - kb_vectors.BEST_WEIGHT) * second


def write_model(model: Bert, src_zip: Path, out: Path) -> None:
    """The tuned weights as a model folder in the package's layout (minilm.convert reads it)."""
    out.mkdir(parents=True, exist_ok=True)
    header, blobs, offset = {}, [], 0
    for name, p in model.merged().items():
        a = p.detach().numpy().astype("<f4")
        header[name] = {"dtype": "F32", "shape": list(a.shape),
                        "data_offsets": [offset, offset + a.nbytes]}
        blobs.append(a.tobytes())
        offset += a.nbytes
    head = json.dumps(header).encode()
    head += b" " * (-len(head) % 8)
    with open(out / minilm.WEIGHTS_FILE, "wb") as f:
        f.write(struct.pack("<Q", len(head)) + head)
        for blob in blobs:
            f.write(blob)
    with zipfile.ZipFile(src_zip) as zf:
        for name in ("config.json", minilm.TOKENIZER_FILE, "sentence_bert_config.json"):
            (out / name).write_bytes(zf.read(name))


def train(units: dict[str, Units], examples: list[Example], epochs: int, lr: float,
          drift: float, tau: float, seed: int, margin: float = 0.15,
          margin_weight: float = 0.0, lora: int = 0) -> Bert:
    from tokenizers import Tokenizer

    src = minilm.find_package()
    files = minilm.read_source(src)
    model = Bert(minilm._weights(files), json.loads(files["config.json"]), lora)
    tok = Tokenizer.from_str(files[minilm.TOKENIZER_FILE].decode())
    tok.no_padding()
    tok.enable_truncation(max_length=128)

    def batch(texts: list[str]) -> tuple[torch.Tensor, torch.Tensor]:
        enc = [tok.encode(t).ids for t in texts]
        n = max(len(e) for e in enc)
        ids = torch.zeros((len(enc), n), dtype=torch.long)
        mask = torch.zeros((len(enc), n), dtype=torch.bool)
        for i, e in enumerate(enc):
            ids[i, :len(e)] = torch.tensor(e)
            mask[i, :len(e)] = True
        return ids, mask

    with torch.no_grad():
        start = torch.cat([model(*batch([e.text for e in examples[i:i + 64]]))
                           for i in range(0, len(examples), 64)])
    base_max = torch.stack([passage_scores(start[i], units[e.base], e.text_only).max()
                            for i, e in enumerate(examples)])
    opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=lr,
                            weight_decay=0.01)
    rng = random.Random(seed)
    order = list(range(len(examples)))
    size = 16
    for epoch in range(epochs):
        rng.shuffle(order)
        t0, total = time.time(), 0.0
        for s in range(0, len(order), size):
            part = order[s:s + size]
            q = model(*batch([examples[i].text for i in part]))
            losses = []
            for j, i in enumerate(part):
                e = examples[i]
                sc = passage_scores(q[j], units[e.base], e.text_only)
                if e.expect:
                    logits = sc / tau
                    losses.append(torch.logsumexp(logits, 0)
                                  - torch.logsumexp(logits[e.expect], 0))
                    if margin_weight:
                        others = sc.clone()
                        others[e.expect] = -2.0
                        lead = sc[e.expect].max() - others.max()
                        losses[-1] = losses[-1] + margin_weight * F.relu(margin - lead) / tau
                else:
                    losses.append(F.relu(sc.max() - base_max[i]) / tau)
                losses[-1] = losses[-1] + drift * (1 - q[j] @ start[i]) / tau
            loss = torch.stack(losses).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += float(loss.detach()) * len(part)
        print(f"epoch {epoch + 1}: loss {total / len(order):.4f} ({time.time() - t0:.0f} s)",
              flush=True)
    return model


def first_ranked(units: dict[str, Units], examples: list[Example], embed) -> dict[str, list]:
    """Answerable test questions whose expected passage the query encoder ranks first."""
    out: dict[str, list] = {}
    for e in examples:
        if not e.expect or e.kind in ("asks", "follow_up"):
            continue
        q = torch.from_numpy(np.asarray(embed([e.text])[0], dtype=np.float32))
        sc = passage_scores(q, units[e.base], False)
        out.setdefault(e.base, []).append(int(sc.argmax()) in e.expect)
    return out


def evaluate_sets(names: list[str]) -> dict[str, tuple[int, ...]]:
    res = {}
    for name in names:
        kb_dir, questions = SETS[name]
        kb = open_knowledge(Settings(), ROOT / kb_dir)
        try:
            rs = evaluate.run(kb, evaluate.load_cases(ROOT / questions)).results
        finally:
            kb.close()
        ans = [r for r in rs if r.answerable]
        un = [r for r in rs if not r.answerable]
        res[name] = (sum(r.found for r in ans), len(ans), sum(r.wrong_line for r in rs),
                     len(rs), sum(r.abstained for r in un), len(un),
                     sum(r.card_has_answer for r in ans), sum(r.wrong_card for r in rs))
        kinds: dict[str, list[int]] = {}
        for r in rs:
            k = kinds.setdefault(r.case.group, [0, 0, 0])
            k[0] += 1
            k[1] += r.found
            k[2] += r.wrong_line
        print(f"  {name:4} right {res[name][0]:3}/{res[name][1]:3}  wrongL {res[name][2]:2}  "
              f"abst {res[name][4]:2}/{res[name][5]:2}  card {res[name][6]:3}  "
              f"wrongC {res[name][7]:3}  "
              + " ".join(f"{k}:{v[1]}/{v[0]}" for k, v in sorted(kinds.items())), flush=True)
    return res


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--test", required=True, help="sets never trained on, e.g. h2,h5,h8,h11")
    ap.add_argument("--train", default="", help="default: every other set")
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--lr", type=float, default=2e-5)
    ap.add_argument("--drift", type=float, default=0.05)
    ap.add_argument("--tau", type=float, default=0.05)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--margin", type=float, default=0.15)
    ap.add_argument("--lora", type=int, default=0, help="train low-rank updates of this rank")
    ap.add_argument("--margin-weight", type=float, default=0.0)
    ap.add_argument("--follow-ups", action="store_true", help="train on follow-ups' turns too")
    ap.add_argument("--out", type=Path, help="keep the converted query encoder here")
    ap.add_argument("--no-baseline", action="store_true")
    args = ap.parse_args()
    torch.manual_seed(args.seed)
    test = args.test.split(",")
    trained = args.train.split(",") if args.train else [s for s in SETS if s not in test]
    assert not set(test) & set(trained), "a test set may not be trained on"
    units, examples = collect(trained + test, args.follow_ups)
    train_ex = [e for e in examples if e.base in trained]
    test_ex = [e for e in examples if e.base in test]
    print(f"train on {','.join(trained)}: {len(train_ex)} questions "
          f"({sum(e.kind == 'asks' for e in train_ex)} of them customers' asks)", flush=True)
    model = train({k: units[k] for k in trained}, train_ex, args.epochs, args.lr, args.drift,
                  args.tau, args.seed, args.margin, args.margin_weight, args.lora)
    out = args.out or Path(tempfile.mkdtemp(prefix="qenc-"))
    with tempfile.TemporaryDirectory() as tmp:
        write_model(model, minilm.find_package(), Path(tmp))
        minilm.convert(Path(tmp), out)
    tuned = SentenceEncoder(out, threads=2)
    shipped = SentenceEncoder(resolver.sentence_encoder(Settings(), "").path, threads=2)
    shipped_embed = kb_vectors.PassageVectors.embed
    for label, enc in (("shipped encoder", shipped), (f"tuned query encoder ({out})", tuned)):
        if label.startswith("shipped") and args.no_baseline:
            continue
        print(f"{label}:")
        kb_vectors.PassageVectors.embed = (  # type: ignore[method-assign]
            lambda self, texts, enc=enc: enc.embed(texts))
        evaluate_sets(test)
        firsts = first_ranked(units, test_ex, enc.embed)
        print("  ranked first (single turns): "
              + ", ".join(f"{k} {sum(v)}/{len(v)}" for k, v in firsts.items()), flush=True)
    kb_vectors.PassageVectors.embed = shipped_embed  # type: ignore[method-assign]


if __name__ == "__main__":
    main()
