"""Voice guidance figures (docs/decisions/0031): espeak-ng synthesis per prompt (Chinese
through pinyin, English), a prompt from the disk cache, and the time from `speak()` to the
WAV handed to the player (cold: synthesised; warm: cached). Medians over the screens' prompts.

    make bench-voice        (python -m bench.voice [--rounds N])
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
from pathlib import Path

from kiosk.voice import Voice
from kiosk.voice.engine import EspeakEngine

ZH = ["请选择事项、部门，或搜索。", "请输入您要办理事项的拼音首字母。", "请选择分类。",
      "这是办事指南，扫描二维码即可带走。", "请选择遇到的问题。",
      "第二步，共四步：查看记录。余额。1,234.50 元"]
EN = ["Choose a service, a department, or search.",
      "Type the first letters of the pinyin of what you need.", "Choose a category.",
      "This is the service guide. Scan the QR code to take it with you.",
      "Choose what went wrong."]


class _Player:
    def __init__(self):
        self.done = threading.Event()

    def available(self):
        return True

    def play(self, wav):
        self.done.set()

    def stop(self):
        pass


def _ms(xs):
    return round(statistics.median(xs) * 1000, 2)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args(argv)
    engine = EspeakEngine()
    rows = []
    for lang, texts in (("zh_CN", ZH), ("en", EN)):
        times = []
        for _ in range(args.rounds):
            for t in texts:
                a = time.perf_counter()
                engine.synthesize(t if lang == "en" else t, lang, 150)
                times.append(time.perf_counter() - a)
        rows.append((f"espeak-ng synthesis, {lang} prompt", _ms(times)))
    for label, warm in (("speak() to player, cold (synthesised)", False),
                        ("speak() to player, warm (disk cache)", True)):
        times = []
        for _ in range(args.rounds):
            with tempfile.TemporaryDirectory() as tmp:
                player = _Player()
                voice = Voice(engine, player, cache_dir=Path(tmp))
                if warm:
                    for t in ZH:
                        voice.render(voice_text(t), "zh_CN", False)
                for t in ZH:
                    player.done.clear()
                    a = time.perf_counter()
                    voice.speak(t, "zh_CN")
                    player.done.wait(10)
                    times.append(time.perf_counter() - a)
                voice.close()
        rows.append((label, _ms(times)))
    print("| measure | median ms |\n|---|---|")
    for name, ms in rows:
        print(f"| {name} | {ms} |")


def voice_text(t: str) -> str:
    from kiosk.voice.text import speakable

    return speakable(t, "zh_CN")


if __name__ == "__main__":
    main()
