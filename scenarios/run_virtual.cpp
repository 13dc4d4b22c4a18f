// The virtual-time runner: an event_loop from the scenario's start, the virtual transport in
// front of the mock endpoints' handlers, and nothing that reads a real clock.
#include <cctype>

#include "common/event_loop.hpp"
#include "scenarios/runner.hpp"
#include "scenarios/session.hpp"
#include "scenarios/virtual_transport.hpp"
#include "sender/destination.hpp"

namespace outbound::scenarios {

namespace {

// A host name for a scenario endpoint: its name in lower case, other characters as '-'.
std::string virtual_host(const std::string& name) {
  std::string host;
  for (char c : name)
    host += std::isalnum(static_cast<unsigned char>(c))
                ? static_cast<char>(std::tolower(static_cast<unsigned char>(c)))
                : '-';
  return host + ".virtual";
}

}  // namespace

run_result run_virtual(const scenario& s, const run_options& options, const clock& wall) {
  const time_point wall_started = wall.now();
  event_loop loop(s.start);
  session play(s, options.seed.value_or(s.seed), loop);
  virtual_transport transport(loop);
  std::vector<std::string> urls;
  for (std::size_t i = 0; i < s.endpoints.size(); ++i) {
    // Distinct ports keep the endpoints apart even if two names map to one host.
    // An https endpoint's TLS is modeled by the virtual transport, as a client that trusts the
    // scenario's CA would see it (see run_real.cpp for the certificates on the real clock).
    const char* scheme = s.endpoints[i].https ? "https://" : "http://";
    urls.push_back(scheme + virtual_host(s.endpoints[i].name) + ":" + std::to_string(8080 + i) +
                   s.endpoints[i].path);
    transport.attach(sender::parse_destination(urls.back(), s.file.string(), "/endpoints"),
                     play.mock(i));
  }
  play.start(transport, urls);

  constexpr std::uint64_t progress_every = 65536;
  bool interrupted = false;
  while (!play.finished() && loop.step()) {
    if (loop.fired() % progress_every != 0) continue;
    if (options.progress)
      options.progress({loop.clock().now() - s.start, s.length, play.accepted(), play.delivered(),
                        play.messages(), play.failed_attempts()});
    if (options.stop_requested && options.stop_requested()) {
      interrupted = true;
      break;
    }
  }
  if (options.progress)
    options.progress({loop.clock().now() - s.start, s.length, play.accepted(), play.delivered(),
                      play.messages(), play.failed_attempts()});
  run_result r;
  r.events = loop.fired();
  r.report = play.report(wall_started, wall.now(), to_string(clock_kind::virtual_time));
  if (interrupted) {
    r.interrupted = true;
    r.report.warnings.insert(r.report.warnings.begin(),
                             interrupted_warning(loop.clock().now() - s.start));
  }
  return r;
}

}  // namespace outbound::scenarios
