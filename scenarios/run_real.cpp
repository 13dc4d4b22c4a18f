// The real-time runner: one io_context runs the mock servers on 127.0.0.1:0, the sender's HTTP
// transport over loopback sockets, and the scheduler whose timers feed the workload.
#include <boost/asio/io_context.hpp>

#include <unistd.h>

#include <filesystem>
#include <memory>

#include "mock_endpoint/server.hpp"
#include "scenarios/certificates.hpp"
#include "scenarios/runner.hpp"
#include "scenarios/session.hpp"
#include "sender/asio_scheduler.hpp"
#include "sender/http_transport.hpp"
#include "sender/sqlite_store.hpp"

namespace outbound::scenarios {

namespace {

constexpr auto progress_every = std::chrono::milliseconds(250);

// A scenario that crashes the sender keeps its store in a SQLite file, as the sender does, so
// the restart reads back what was durable. The file is the run's own and removed afterwards.
class crash_store_file {
 public:
  explicit crash_store_file(const scenario& s) {
    if (!has_crash(s)) return;
    path_ = std::filesystem::temp_directory_path() /
            ("outbound-run-" + std::to_string(::getpid()) + "-" + s.name + ".db");
    remove();
  }
  ~crash_store_file() { remove(); }
  crash_store_file(const crash_store_file&) = delete;
  crash_store_file& operator=(const crash_store_file&) = delete;

  store_factory factory() const {
    if (path_.empty()) return {};
    return [path = path_] { return std::make_unique<sender::sqlite_store>(path); };
  }

 private:
  void remove() const {
    if (path_.empty()) return;
    std::error_code ignored;
    for (const char* suffix : {"", "-wal", "-shm"})
      std::filesystem::remove(path_.string() + suffix, ignored);
  }
  std::filesystem::path path_;
};

}  // namespace

run_result run_real(const scenario& s, const run_options& options, const clock& wall) {
  const time_point wall_started = wall.now();
  boost::asio::io_context io;
  sender::asio_scheduler sched(io, wall);
  const crash_store_file store_file(s);
  session play(s, options.seed.value_or(s.seed), sched, store_file.factory());

  std::vector<std::unique_ptr<mock_endpoint::server>> servers;
  std::vector<std::string> urls;
  const scenario_certificates certificates = make_scenario_certificates(s, wall.now());
  for (std::size_t i = 0; i < play.endpoint_count(); ++i) {
    mock_endpoint::server_options so;
    so.host = "127.0.0.1";
    so.port = 0;
    if (s.endpoints[i].https) so.tls = certificates.server;
    servers.push_back(std::make_unique<mock_endpoint::server>(io, play.mock(i), wall, so));
    servers.back()->start();
    urls.push_back(servers.back()->url() + s.endpoints[i].path);
  }
  sender::http_transport_options to;
  to.max_connections = s.delivery.connections;
  to.ca_pem = certificates.authority.certificate;  // as --ca-file would
  sender::http_transport transport(io, to);

  const auto end_run = [&] {
    sched.cancel_all();
    for (auto& server : servers) server->stop();
    io.stop();
  };
  play.on_finished(end_run);
  bool interrupted = false;
  auto report_progress = [&] {
    options.progress({wall.now() - play.start_time(), s.length, play.accepted(), play.delivered(),
                      play.messages(), play.failed_attempts(), /*real_clock=*/true});
  };
  std::function<void()> tick = [&] {
    if (play.finished()) return;
    if (options.progress) report_progress();
    if (options.stop_requested && options.stop_requested()) {
      interrupted = true;
      end_run();
      return;
    }
    sched.at(wall.now() + progress_every, tick);
  };
  play.start(transport, urls);
  if (options.progress || options.stop_requested) sched.at(wall.now() + progress_every, tick);
  if (!play.finished()) io.run();
  if (options.progress) report_progress();

  run_result r;
  r.report = play.report(wall_started, wall.now(), to_string(clock_kind::real));
  if (interrupted) {
    r.interrupted = true;
    r.report.warnings.insert(r.report.warnings.begin(),
                             interrupted_warning(wall.now() - play.start_time()));
  }
  return r;
}

}  // namespace outbound::scenarios
