"""smartmoneyconcepts on the SMC benchmark (run with benchmarks/.venv-peers/bin/python).

Times swing highs/lows, BOS/CHoCH, order blocks, fair value gaps and liquidity on the same
bars as aitrader's analyzer; prints counts so the runs can be compared (the definitions differ:
see benchmarks/smc_dom_speed.py)."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from smartmoneyconcepts import smc

from common import load_frame


def main() -> None:
    bars, lookback = int(sys.argv[1]), int(sys.argv[2])
    df = load_frame(bars)[["open", "high", "low", "close", "volume"]].reset_index(drop=True)
    started = time.perf_counter()
    swings = smc.swing_highs_lows(df, swing_length=lookback)
    structure = smc.bos_choch(df, swings, close_break=True)
    blocks = smc.ob(df, swings)
    gaps = smc.fvg(df)
    smc.liquidity(df, swings)
    elapsed = time.perf_counter() - started
    print(json.dumps({
        "seconds": elapsed,
        "swings": int(swings["HighLow"].notna().sum()),
        "breaks": int(structure["BOS"].notna().sum() + structure["CHOCH"].notna().sum()),
        "order_blocks": int(blocks["OB"].notna().sum()),
        "gaps": int(gaps["FVG"].notna().sum()),
    }))


if __name__ == "__main__":
    main()
