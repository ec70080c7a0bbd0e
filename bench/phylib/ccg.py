"""The phylib equivalent of `spikedock ccg <folder> --clusters <the 10 largest>` as a whole
process (bench/cli.mjs): load spike_times.npy and spike_clusters.npy with NumPy and call
phylib.stats.correlograms (1 ms bins, 50 ms window, phylib's defaults) on the asked clusters.
Usage: python3 ccg.py <phylib source folder> <dataset folder> <comma-separated cluster ids>"""
import sys

sys.path.insert(0, sys.argv[1])
import numpy as np  # noqa: E402
from phylib.utils._misc import read_python  # noqa: E402
from phylib.stats import correlograms  # noqa: E402

folder = sys.argv[2]
ids = np.array(sorted(int(c) for c in sys.argv[3].split(',')))
sample_rate = float(read_python(folder + '/params.py')['sample_rate'])
times = np.load(folder + '/spike_times.npy')
clusters = np.load(folder + '/spike_clusters.npy')
keep = np.isin(clusters, ids)
ccg = correlograms(times[keep].astype(np.float64) / sample_rate, clusters[keep], cluster_ids=ids,
                   sample_rate=sample_rate, bin_size=1e-3, window_size=50e-3)
print(ccg.shape, int(ccg.sum()))
