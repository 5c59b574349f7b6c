#!/bin/sh
# Stands in for nvidia-cuda-mps-control in tst_mps_daemon. `-d` records its environment, creates
# the control FIFO and leaves a "daemon" holding it open; without -d it reads a command from
# stdin, records it and ends the daemon, as `echo quit | nvidia-cuda-mps-control` would.
if [ "$1" = "-d" ]; then
    echo "$CUDA_MPS_PIPE_DIRECTORY|$CUDA_MPS_LOG_DIRECTORY" >"$CUDA_MPS_LOG_DIRECTORY/started-with"
    mkfifo "$CUDA_MPS_PIPE_DIRECTORY/control"
    sh -c 'exec 3<>"$1/control"; exec sleep 1000' sh "$CUDA_MPS_PIPE_DIRECTORY" \
        </dev/null >/dev/null 2>&1 &
    echo $! >"$CUDA_MPS_PIPE_DIRECTORY/daemon.pid"
    exit 0
fi
read -r command
echo "$command" >>"$CUDA_MPS_LOG_DIRECTORY/commands"
kill "$(cat "$CUDA_MPS_PIPE_DIRECTORY/daemon.pid")"
rm -f "$CUDA_MPS_PIPE_DIRECTORY/control"
