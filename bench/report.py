"""The results as the Markdown tables docs/performance.md quotes, with the machine, its
calibration and the load average beside each figure."""

from __future__ import annotations

import district
import mix
from cost import CLIENTS

MIB = 1024


def verdict(ok: bool) -> str:
    return "met" if ok else "**not met**"


def markdown(r: dict) -> str:
    m = r["machine"]
    cal = r["calibration_ms"]
    lines = [
        f"Command: `{r['command']}`  ",
        f"Machine: {m['nproc']} × {m['cpu']}, {m['memory_gib']} GiB; Python {m['python']}, "
        f"SQLite {m['sqlite']}, gunicorn {m['gunicorn']}, Linux {m['kernel']}  ",
        f"Calibration (a fixed pure-Python loop, best of 7): {cal[0]:.1f} ms at the start, "
        f"{cal[-1]:.1f} ms at the end; load average at the start "
        f"{', '.join(f'{x:.2f}' for x in m['load_average'])}; whole run {r['elapsed_s']} s  ",
    ]
    if "school" in r:
        s = r["school"]
        lines.append(
            f"School: {s['students']:,} students, {s['teachers']} teachers, "
            f"{s['rows']['attempts']:,} attempts, {s['rows']['attempt_highlights']:,} highlights, "
            f"{s['size_mib']:,} MiB (built and signed in {s['build_s']} s)"
            + (
                f"; copied to PostgreSQL in {s['postgresql_copy']['seconds']} s"
                if "postgresql_copy" in s
                else ""
            )
        )
    lines.append("")
    if r["quick"]:
        lines += [
            "**A quick run: small and short, for development; its verdicts mean little.**",
            "",
        ]
    if "cost" in r:
        lines += cost(r["cost"], r.get("cost_rate", 0.0))
    for part, render in (("district", district_), ("burst", burst)):
        if part in r:
            lines += render(r[part])
    if "district" in r and len(r["district"]) > 1:
        lines += compare(r["district"], r.get("burst", {}))
    if "keeps" in r:
        lines += keeps(r["keeps"])
    return "\n".join(lines)


def _ratio(line: dict) -> str:
    q = line["ratio"]
    return f"**{q['median']:.2f}×** ({q['min']:.2f}–{q['max']:.2f})"


def cost(found: dict, rate: float = 0.0) -> list[str]:
    out = []
    sent = (
        f"both sent {rate:g} requests a second (--rate)"
        if rate
        else f"closed loop, {CLIENTS} clients each sending its next request on an answer"
    )
    for key, by_line in found.items():
        rounds = len(next(iter(by_line.values()))["rounds"])
        out += [
            f"### Cost per request: {key}",
            "",
            f"Server CPU a request over Flask's hello world on the same gunicorn, paired within "
            f"each of {rounds} round(s), {sent}: median (range). Every answer's status checked.",
            "",
            "| request | × hello world | target | server CPU ms/req | hello ms/req | DB ms/req "
            "| requests | errors | load | others (cores) |",
            "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | --- | ---: |",
        ]
        for line in by_line.values():
            target = ""
            if line["target"] is not None:
                ok = line["ratio"]["median"] <= line["target"] and not line["errors"]
                target = f"≤ {line['target']:g}: {verdict(ok)}"
            db = f"{line['db_ms']:.2f}" if line["db_ms"] is not None else "in-process"
            out.append(
                f"| {line['label']}<br>`{line['shown']}` | {_ratio(line)} | {target} | "
                f"{line['server_ms']:.2f} | {line['hello_ms']:.2f} | {db} | "
                f"{line['requests']:,} | {line['errors']} | "
                f"{line['load'][0]:.1f}–{line['load'][1]:.1f} | {line['other_cores']:.2f} |"
            )
        out.append("")
    if len(found) > 1:
        keys = list(found)
        out += [
            "### Cost per request side by side: server CPU (+ database CPU) ms a request, × hello",
            "",
            "| request | " + " | ".join(keys) + " |",
            "| --- |" + " ---: |" * len(keys),
        ]
        for line_key, line in found[keys[0]].items():
            cells = []
            for k in keys:
                x = found[k].get(line_key)
                if x is None:
                    cells.append("")
                    continue
                db = f" + {x['db_ms']:.2f}" if x["db_ms"] is not None else ""
                cells.append(f"{x['server_ms']:.2f}{db} ({x['ratio']['median']:.2f}×)")
            out.append(f"| {line['label']} | " + " | ".join(cells) + " |")
        out.append("")
    return out


def _kind(step: dict, kind: str) -> str:
    k = step["kinds"].get(kind)
    if k is None:
        return ""
    text = f"{k['p50_ms']:.0f} / {k['p99_ms']:.0f}"
    return f"{text} ({k['errors']} err)" if k["errors"] else text


def district_(found: dict) -> list[str]:
    out = []
    for key, d in found.items():
        mx = d["mix"]
        out += [
            f"### District morning: {key}",
            "",
            f"Open loop, new connections; each active student: an autosave every "
            f"{mx['autosave_every']:g} s, a page every {mx['page_every']:g} s, a submission and "
            f"its feedback page every {mx['submit_every']:g} s; a teacher per "
            f"{mx['students_per_teacher']} students on the review queue (every "
            f"{mx['review_every']:g} s) and insight (every {mx['insight_every']:g} s). "
            f"{d['seconds']:g} s a step, the first {d['warmup']:g} s not counted. Latency "
            "p50 / p99 in ms, from when each request was due.",
            "",
            "| students | req/s | " + " | ".join(mix.KINDS) + " | errors | server cores | "
            "server ms/req | students per server core | generator | others | load |",
            "| ---: | ---: |"
            + " ---: |" * len(mix.KINDS)
            + " ---: | ---: | ---: | ---: | ---: | ---: | --- |",
        ]
        for s in d["steps"]:
            errors = sum(k["errors"] for k in s["kinds"].values())
            db = f" + DB {s['db_cores']:.2f}" if s.get("db_cores") is not None else ""
            db_ms = f" + {s['db_ms']:.2f}" if s.get("db_ms") is not None else ""
            per_core = s["students"] / s["server_cores"] if s["server_cores"] else 0
            server_ms = s.get("server_ms") or s["server_cores"] / max(1, s["rps"]) * 1000
            out.append(
                f"| {s['students']:,} | {s['rps']:.0f} | "
                + " | ".join(_kind(s, k) for k in mix.KINDS)
                + f" | {errors} | {s['server_cores']:.2f}{db} | {server_ms:.2f}{db_ms} | "
                f"{per_core:,.0f} | {s['generator_cores']:.2f} | "
                f"{s['other_cores']:.2f} | {s['load'][0]:.1f}–{s['load'][1]:.1f} |"
            )
        good, bad, most = d["knee"], d["first_failing"], largest_met(d)
        above = (
            f" ({most:,} met it again above, as the machine's load came and went)"
            if most and most > (good or 0)
            else ""
        )
        out += [
            "",
            f"Knee: **{good or 0:,} active students** met p99 < {district.P99_MS:.0f} ms with no "
            "error at every kind a student sends, and every smaller step too"
            + (f"; {bad:,} did not{above}" if bad else "; no step failed")
            + f". Target ≥ 6,000: {verdict((good or 0) >= 6000)}",
            "",
        ]
    return out


def largest_met(d: dict) -> int | None:
    """The most students of a step that met the target, whatever the steps below did."""
    return max((s["students"] for s in d["steps"] if mix.meets(s, district.P99_MS)), default=None)


def burst(found: dict) -> list[str]:
    out = [
        "### A class's burst: 30 submissions at the same moment, each followed by its feedback",
        "",
        "| server | bursts | submit p50 / p99 / max ms | feedback p99 | submit + feedback p50 / "
        f"p99 / max | errors | target p99 < {district.BURST_P99_MS:.0f} ms | load |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for key, b in found.items():
        k = b["kinds"]
        sub, both = k["submit"], k.get("submit+feedback", k["submit"])
        errors = sum(x["errors"] for x in k.values())
        ok = max(sub["p99_ms"], both["p99_ms"]) < district.BURST_P99_MS and not errors
        out.append(
            f"| {key} | {b['bursts']} × {b['size']} | {sub['p50_ms']:.0f} / {sub['p99_ms']:.0f} "
            f"/ {sub['max_ms']:.0f} | {k.get('feedback', {}).get('p99_ms', 0):.0f} | "
            f"{both['p50_ms']:.0f} / {both['p99_ms']:.0f} / {both['max_ms']:.0f} | {errors} | "
            f"{verdict(ok)} | {b['load'][0]:.1f}–{b['load'][1]:.1f} |"
        )
    return out + [""]


def compare(found: dict, bursts: dict) -> list[str]:
    """The configurations side by side: the knee, what was served there, and the burst."""
    out = [
        "### Configurations compared",
        "",
        "| server | knee (students) | largest step met | req/s at the knee | worst student p99 "
        "at the knee ms | server ms/req at the knee | burst submit p99 | burst submit + "
        "feedback p99 |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for key, d in found.items():
        at = next((s for s in d["steps"] if s["students"] == d["knee"]), None)
        b = bursts.get(key, {}).get("kinds", {})
        worst = (
            max(
                (at["kinds"][k]["p99_ms"] for k in mix.STUDENT_KINDS if k in at["kinds"]), default=0
            )
            if at
            else 0
        )
        server_ms = (at.get("server_ms") or at["server_cores"] / at["rps"] * 1000) if at else 0
        out.append(
            f"| {key} | {d['knee'] or 0:,} | {largest_met(d) or 0:,} | "
            f"{at['rps'] if at else 0:.0f} | {worst:.0f} | {server_ms:.2f} | "
            f"{b.get('submit', {}).get('p99_ms', 0):.0f} | "
            f"{b.get('submit+feedback', {}).get('p99_ms', 0):.0f} |"
        )
    return out + [""]


def keeps(k: dict) -> list[str]:
    out = [
        "### Teacher's pages, one request at a time on one fresh sync worker (class of 200)",
        "",
        "| page | p50 ms | min–max ms |",
        "| --- | ---: | --- |",
    ]
    for key, x in k["single"].items():
        out.append(f"| {key} | {x['p50_ms']:.1f} | {x['min_ms']:.1f}–{x['max_ms']:.1f} |")
    g = k["gradebook"]
    out += [
        "",
        "### CSV exports, one request at a time on one fresh sync worker each",
        "",
        "| export | attempts | students | rows | MiB | first byte ms | total ms (median of 3) | "
        "worker peak before → after (MiB) | growth MiB |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |",
    ]
    for key in ("gradebook-small", "gradebook-big", "attempts-small", "attempts-big"):
        x = g[key]
        what = "class gradebook" if x["export"] == "gradebook" else "one assignment's attempts"
        out.append(
            f"| {what} | {x['attempts']:,} | {x['students']:,} | {x['rows']:,} | "
            f"{x['bytes'] / MIB / MIB:.2f} | {x['first_byte_ms']:.0f} | {x['total_ms']:.0f} | "
            f"{x['peak_before_kib'] / MIB:.1f} → {x['peak_after_kib'] / MIB:.1f} | "
            f"{x['growth_kib'] / MIB:.1f} |"
        )
    big = g["gradebook-big"]
    flat = all(
        g[f"{e}-big"]["growth_kib"] <= g[f"{e}-small"]["growth_kib"] + 4 * MIB
        for e in ("gradebook", "attempts")
    )
    big_ok = (
        verdict(big["total_ms"] < 3000)
        if big["attempts"] >= 100_000
        else "no verdict (the target names 100,000 attempts)"
    )
    out += [
        "",
        f"Target: a gradebook of {big['attempts']:,} attempts in under 3 s: {big_ok}; peak "
        f"memory independent of size (growth within 4 MiB of the small): {verdict(flat)}",
        "",
        "### Insight page, one class alone on one sync worker, sequential requests",
        "",
        "| class | students | attempts | highlights | p50 ms | min–max ms | × 1x |",
        "| --- | ---: | ---: | ---: | ---: | --- | ---: |",
    ]
    series = k["insight"]
    one = series["x1"]["p50_ms"]
    linear = True
    for name, x in series.items():
        linear &= x["p50_ms"] <= int(name[1:]) * one
        out.append(
            f"| {name} | {x['students']:,} | {x['attempts']:,} | {x['highlights']:,} | "
            f"{x['p50_ms']:,.1f} | {x['min_ms']:,.0f}–{x['max_ms']:,.0f} | "
            f"{x['p50_ms'] / one:.1f} |"
        )
    su = k["startup"]
    out += [
        "",
        f"Target: p50 < 100 ms at 200 students: {verdict(one < 100)}; no worse than linear "
        f"to {list(series)[-1]}: {verdict(linear)}",
        "",
        f"Start-up with {su['files']:,} exercise files: create_app {su['create_app_s']:.2f} s "
        f"(best of {su['runs']}, median {su['median_create_app_s']:.2f} s); target under 2 s: "
        + (
            verdict(su["create_app_s"] < 2)
            if su["files"] >= 1000
            else "no verdict (the target names 1,000 files)"
        ),
        "",
    ]
    return out
