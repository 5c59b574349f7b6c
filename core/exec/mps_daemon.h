#pragma once

// NVIDIA MPS for packed GPU trials (issue 5, "Executors"). Without MPS, trials sharing a GPU
// time-slice it: 4 packed DPRNN trials got 232 samples/s in total on an H200, about one
// trial's worth; with MPS their kernels overlap and the same 4 got 498.

#include <map>
#include <string>

namespace seplab::exec {

struct MpsStatus
{
    bool running = false;     // trials started with childEnvironment() use MPS
    bool startedByUs = false; // the destructor stops it
    std::string message;      // one sentence for the user, saying what a failure costs
    std::string pipeDir, logDir;
};

class MpsDaemon
{
public:
    // In this order: uses a daemon already serving CUDA_MPS_PIPE_DIRECTORY (default
    // /tmp/nvidia-mps); reuses one left in <dir>/mps-pipe by an earlier controller (and stops it
    // at the end); else starts `nvidia-cuda-mps-control -d` with CUDA_MPS_PIPE_DIRECTORY=
    // <dir>/mps-pipe and CUDA_MPS_LOG_DIRECTORY=<dir>/mps-log. A control file nobody listens on
    // is stale and ignored. When <dir> is too long for the daemon's UNIX socket paths, the pipe
    // directory is /tmp/seplab-mps-<uid>-<hash of dir> instead. Never throws: a failure is in
    // status().message.
    static MpsDaemon start(const std::string &dir);
    // Stops a daemon it started: "quit" on nvidia-cuda-mps-control's stdin.
    ~MpsDaemon();
    MpsDaemon(MpsDaemon &&other) noexcept;
    MpsDaemon &operator=(MpsDaemon &&other) noexcept;
    MpsDaemon(const MpsDaemon &) = delete;
    MpsDaemon &operator=(const MpsDaemon &) = delete;

    const MpsStatus &status() const { return m_status; }
    // CUDA_MPS_PIPE_DIRECTORY and CUDA_MPS_LOG_DIRECTORY while running, else empty.
    std::map<std::string, std::string> childEnvironment() const;

private:
    MpsDaemon() = default;
    static std::map<std::string, std::string> childEnvironmentFor(const std::string &pipeDir,
                                                                  const std::string &logDir);
    void stop();

    MpsStatus m_status;
    std::string m_controlProgram; // the nvidia-cuda-mps-control that stop() runs
};

} // namespace seplab::exec
