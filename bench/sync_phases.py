"""Per-phase CPU seconds of a sync profile (bench/SYNC_PROFILE.md says how it is made).

    python -m bench.sync_phases PROFILE.prof
"""

import pstats
import sys

st = pstats.Stats(sys.argv[1]).stats  # type: ignore[attr-defined]  # (file, line, name) -> ...
def cum(pred):  # noqa: ANN001, ANN202
    return sum(v[3] for k, v in st.items() if pred(k))
def f(path, name):  # noqa: ANN001, ANN202
    return lambda k: k[0].endswith(path) and k[2] == name
total = cum(f("usecases/sync/jobs.py", "run_sync"))
announce = cum(f("services.py", "_announce"))
http = cum(f("lms/http.py", "request"))
decode = cum(f("lms/http.py", "decode_json"))
parse_results = cum(f("lms/ags.py", "parse_results"))
parse_members = cum(f("lms/nrps.py", "parse_member"))
mapping = cum(f("usecases/sync/result_evidence.py", "page_evidence"))
evidence = cum(f("store/repositories/sync.py", "add_item_evidence")) + cum(
    f("store/repositories/sync.py", "update_evidence_values"))
roster = cum(f("usecases/sync/stages.py", "sync_roster"))
store_results = cum(f("usecases/sync/stages.py", "_store_results"))
out = {"total": total, "http (requests, outbound, token)": http, "json decode": decode,
       "parse to Result/Member": parse_results + parse_members,
       "mapping results to evidence": mapping,
       "evidence rows written (executemany incl.)": evidence,
       "results pages: rest of the transaction (session, cursor, event, commit)":
           store_results - evidence - announce,
       "data versions announced after each commit (shared cache)": announce,
       "roster stage (all of it)": roster}
for name, seconds in out.items():
    print(f"{name:75s} {seconds:7.2f}")
