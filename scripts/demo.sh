#!/usr/bin/env bash
# The main job: installs what is missing, builds, writes the built-in mini-corpus (Polish
# espeak-ng speech in the PolSESS layout), runs the users' 3-stage DPRNN tuning plan on it at
# `--scale tiny` (three narrowing search stages with hyperband, then the top configurations
# validated with two seeds) while the workbench shows its curves live, and writes the experiment
# log.
#   SEPLAB_DEMO_NO_GUI=1 scripts/demo.sh   # stop after the command-line part
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/scripts/setup.sh"
source "$root/scripts/build.sh"

seplab_setup
seplab_build
build_dir="${SEPLAB_BUILD_DIR:-$root/build}"
cli="$build_dir/bin/seplab-cli"
demo="$build_dir/demo"
mkdir -p "$demo"

echo "== Two Polish speakers (espeak-ng), mixed at 8 kHz"
espeak-ng -v pl+m3 -s 150 -w "$demo/s1_22k.wav" "Dzień dobry, nazywam się Jan i mieszkam w Krakowie."
espeak-ng -v pl+f2 -s 165 -p 70 -w "$demo/s2_22k.wav" "Pogoda jest dzisiaj piękna, pójdziemy na spacer nad rzekę."
# Same length for both, then 8 kHz mono float, as PolSESS stores its layers.
len=$(soxi -s "$demo/s1_22k.wav"); len2=$(soxi -s "$demo/s2_22k.wav")
[ "$len2" -lt "$len" ] && len=$len2
sox "$demo/s1_22k.wav" -e floating-point -b 32 "$demo/s1.wav" trim 0 "${len}s" rate -v 8000
sox "$demo/s2_22k.wav" -e floating-point -b 32 "$demo/s2.wav" trim 0 "${len}s" rate -v 8000 vol 0.7
sox -m "$demo/s1.wav" "$demo/s2.wav" "$demo/mix.wav"
rm -f "$demo"/*_22k.wav

echo "== SI-SDR of the unprocessed mixture against each speaker (the baseline a model must beat)"
"$cli" metrics --ref "$demo/s1.wav" "$demo/s2.wav" --est "$demo/mix.wav" "$demo/mix.wav" --mix "$demo/mix.wav"
echo "== SI-SDR of speaker 1 with white noise added (one source: torchmetrics convention)"
sox -n -r 8000 -c 1 -e floating-point -b 32 "$demo/noise.wav" synth "$(soxi -D "$demo/s1.wav")" whitenoise vol 0.05
sox -m "$demo/s1.wav" "$demo/noise.wav" "$demo/s1_noisy.wav"
"$cli" metrics --ref "$demo/s1.wav" --est "$demo/s1_noisy.wav"

echo "== The mini-corpus: 64 training and 16 validation mixtures of 1 s (make-corpus)"
rm -rf "$demo/corpus" "$demo/hpo.db"* "$demo/runs" "$demo/report"
"$cli" make-corpus --out "$demo/corpus" --train 64 --val 16 --test 8 --seconds 1 --sentences 6 --seed 7
have_display() {
    [ -z "${SEPLAB_DEMO_NO_GUI:-}" ] && { [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; }
}
sweep=("$cli" sweep run "$root/resources/plans/dprnn_3stage_progressive.yaml" --scale tiny
       --data "$demo/corpus" --store "$demo/hpo.db" --runs "$demo/runs")
echo "== The 3-stage progressive plan at --scale tiny (resources/plans/dprnn_3stage_progressive.yaml)"
gui_pid=""
if have_display; then
    # The workbench follows the store while the headless controller writes it: the curves
    # form live, and closing the window does not stop the sweep.
    "${sweep[@]}" &
    sweep_pid=$!
    for _ in $(seq 1 100); do [ -s "$demo/hpo.db" ] && break; sleep 0.2; done
    echo "== Opening the workbench on the running sweep ($demo/hpo.db)"
    "$build_dir/bin/seplab" "$demo/hpo.db" &
    gui_pid=$!
    wait "$sweep_pid"
else
    "${sweep[@]}"
fi
"$cli" sweep status --store "$demo/hpo.db"
echo "== The experiment log"
"$cli" report --store "$demo/hpo.db" --out "$demo/report"
sed -n '1,60p' "$demo/report/experiment-log.md"

if [ -z "$gui_pid" ]; then
    echo "== No display (or SEPLAB_DEMO_NO_GUI set): watch the sweep in the workbench with"
    echo "   $build_dir/bin/seplab $demo/hpo.db"
    exit 0
fi
wait "$gui_pid"
