import { z } from 'zod';
import { runPython, type PythonResult } from '../lib/runPython.js';
import { ColumnStatsSchema, StagesSchema } from './trellisPartResult.js';

/**
 * pandas `read_csv` + scikit-learn `ColumnTransformer` (SimpleImputer(mean) + StandardScaler on
 * the numeric columns, OneHotEncoder on the categorical ones), written to Parquet with the codec
 * ours uses (snappy) when pyarrow is there, else to .npy: a raw dump, cheaper to write than
 * Parquet, which favours the reference. The clock starts after the imports, as ours starts after
 * module loading. It reports the seconds of each stage, and per output column the mean and std,
 * to check both sides computed the same numbers.
 */
const SCRIPT = String.raw`
import json, sys, time, resource
try:
    import numpy as np
    import pandas as pd
    import sklearn
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler
except ImportError as error:
    print(json.dumps({"missing": str(error)}))
    sys.exit(0)
try:
    import pyarrow  # noqa: F401
    output_format = "parquet"
except ImportError:
    output_format = "npy"

csv_path, out_base = sys.argv[1], sys.argv[2]
def lap():
    return (time.perf_counter(), time.process_time())
def stage(begin, end):
    return {"seconds": end[0] - begin[0], "cpuSeconds": end[1] - begin[1]}
started = lap()
frame = pd.read_csv(csv_path)
read_done = lap()
numeric = [c for c in frame.columns if c.startswith("n")]
categorical = [c for c in frame.columns if c.startswith("c")]
transformer = ColumnTransformer([
    ("num", make_pipeline(SimpleImputer(strategy="mean"), StandardScaler()), numeric),
    ("cat", OneHotEncoder(sparse_output=False, handle_unknown="ignore"), categorical),
])
matrix = transformer.fit_transform(frame)
names = [n.split("__", 1)[1] for n in transformer.get_feature_names_out()]
fit_done = lap()
if output_format == "parquet":
    pd.DataFrame(matrix, columns=names).to_parquet(out_base + ".parquet", compression="snappy")
else:
    np.save(out_base + ".npy", matrix)
ended = lap()
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
stats = {name: [float(matrix[:, i].mean()), float(matrix[:, i].std())] for i, name in enumerate(names)}
print(json.dumps({
    **stage(started, ended),
    "stages": {"read_csv": stage(started, read_done), "fit_transform": stage(read_done, fit_done), "write " + output_format: stage(fit_done, ended)},
    "peakRssBytes": peak, "format": output_format, "rows": int(matrix.shape[0]),
    "versions": {"python": sys.version.split()[0], "pandas": pd.__version__, "sklearn": sklearn.__version__},
    "stats": stats,
}))
`;

const ReferenceSchema = z.object({
  seconds: z.number(),
  cpuSeconds: z.number(),
  stages: StagesSchema,
  peakRssBytes: z.number(),
  format: z.enum(['parquet', 'npy']),
  rows: z.number(),
  versions: z.object({ python: z.string(), pandas: z.string(), sklearn: z.string() }),
  stats: ColumnStatsSchema,
});
export type ReferenceResult = z.infer<typeof ReferenceSchema>;

export function runSklearnReference(csvPath: string, outBase: string): PythonResult<ReferenceResult> {
  return runPython(SCRIPT, ReferenceSchema, { args: [csvPath, outBase] });
}
