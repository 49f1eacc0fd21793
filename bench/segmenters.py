"""Benchmark: the two maintained Chinese segmenters on PyPI, jieba (pure Python) and rjieba (jieba-rs binding).

    .venv/bin/python -m bench.segmenters            # rjieba is a dependency; `pip install jieba` to compare

The knowledge base cuts every article when it is saved and every question when an agent searches
(hotline/platform/services/kb_text.py), so what matters is: the time to import and load the dictionary (paid
by every web and worker process on its first search), the segmentation speed on knowledge-base text, the
memory the dictionary holds, and the installed size. Each segmenter is measured in a fresh interpreter so one
does not warm the other. It prints figures; it passes or fails nothing.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import subprocess
import sys
from pathlib import Path

#: Knowledge-base-like text: the express template's articles and typical spoken questions.
TEXT = ("客户在签收时发现破损，应当场拍照并拒收或在签收后24小时内来电登记投诉工单。已保价快件按声明价值和损失比例赔偿；"
        "未保价快件按实际损失赔偿，最高不超过运费的3倍。快件派送前可申请更改派送地址：同城改址免费，跨城改址按新地址重新计费。"
        "我的快递丢了怎么赔偿？锂电池可以坐飞机寄吗？物流信息超过48小时未更新可登记查件工单，由网点核实。")

_CHILD = r"""
import json, resource, sys, time
name, text, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t0 = time.perf_counter()
if name == "rjieba":
    import rjieba
    cut = rjieba.cut_for_search
else:
    import logging
    import jieba
    jieba.setLogLevel(logging.WARNING)
    cut = jieba.lcut_for_search
t1 = time.perf_counter()
first = cut("初始化")  # jieba loads its dictionary on the first cut, rjieba on import
t2 = time.perf_counter()
rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
for _ in range(rounds):
    tokens = cut(text)
elapsed = time.perf_counter() - start
print(json.dumps({"import_s": t1 - t0, "first_cut_s": t2 - t1, "rss_mb": (rss1 - rss0) / 1024,
                  "chars_per_s": len(text) * rounds / elapsed, "us_per_question": elapsed / rounds * 1e6,
                  "tokens": tokens[:12]}, ensure_ascii=False))
"""


def installed_size_mb(distribution: str) -> float:
    files = importlib.metadata.distribution(distribution).files or []
    return sum(Path(f.locate()).stat().st_size for f in files if Path(f.locate()).exists()) / 1e6


def measure(name: str, rounds: int) -> dict[str, object] | None:
    try:
        version = importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None
    out = subprocess.run([sys.executable, "-c", _CHILD, name, TEXT, str(rounds)], capture_output=True, text=True,
                         check=True).stdout
    figures = json.loads(out.strip().splitlines()[-1])
    figures.update(version=version, installed_mb=installed_size_mb(name))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2000)
    args = parser.parse_args()
    print(f"text: {len(TEXT)} characters, {args.rounds} rounds, each segmenter in a fresh interpreter")
    for name in ("rjieba", "jieba"):
        figures = measure(name, args.rounds)
        if figures is None:
            print(f"{name:7}  not installed (pip install {name})")
            continue
        # twice: jieba writes a dictionary cache on its first run, so the second shows the usual start
        again = measure(name, 10)
        print(f"{name:7} {figures['version']:>7}  import {figures['import_s'] * 1000:7.1f} ms  "
              f"first cut {figures['first_cut_s'] * 1000:7.1f} ms (warm cache {again['first_cut_s'] * 1000:6.1f} ms)"
              f"  memory +{figures['rss_mb']:5.1f} MB  {figures['chars_per_s'] / 1e6:5.2f} M chars/s  "
              f"installed {figures['installed_mb']:5.1f} MB")
        print(f"         {' / '.join(figures['tokens'])}")


if __name__ == "__main__":
    main()
