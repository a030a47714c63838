"""openpyxl read_only baseline: python3 openpyxl_read.py FILE -> one JSON line."""
import json, resource, sys, time
import openpyxl


def peak_rss_kb():
    """VmHWM, not ru_maxrss: ru_maxrss survives exec and reports the spawning parent's size (bench/peak-rss.mjs)."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


start = time.perf_counter()
wb = openpyxl.load_workbook(sys.argv[1], read_only=True, data_only=True)
rows = sum(1 for _ in wb.worksheets[0].iter_rows(values_only=True)) - 2
seconds = time.perf_counter() - start
print(json.dumps({"kind": "openpyxl", "seconds": seconds, "rows": rows,
                  "peakRssMb": peak_rss_kb() / 1024}))
