#include "mock_endpoint/responder.hpp"

#include <algorithm>

#include "soap/ack.hpp"
#include "soap/envelope.hpp"
#include "soap/wsdl.hpp"

namespace outbound::mock_endpoint {
namespace {

constexpr std::string_view xml_type = "text/xml; charset=utf-8";

// What a proxy in front of a dead listener sends (nginx's page, the one seen most in the field).
std::string html_page(int status, std::string_view reason) {
  const std::string title = std::to_string(status) + " " + std::string(reason);
  return "<html>\r\n<head><title>" + title + "</title></head>\r\n<body>\r\n<center><h1>" + title +
         "</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
}

constexpr std::string_view not_an_ack_body =
    R"(<?xml version="1.0" encoding="UTF-8"?>)"
    R"(<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">)"
    R"(<soapenv:Body><receipt xmlns="urn:example:erp"><status>queued</status></receipt>)"
    R"(</soapenv:Body></soapenv:Envelope>)";

bool is_wsdl_request(std::string_view target) {
  const auto q = target.find('?');
  if (q == std::string_view::npos) return false;
  std::string query(target.substr(q + 1));
  std::transform(query.begin(), query.end(), query.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return query == "wsdl" || query.rfind("wsdl&", 0) == 0 || query.rfind("wsdl=", 0) == 0;
}

// A stall with after_read reads the request first: it is decided per request.
bool decided_per_connection(const fault& f) {
  return is_connection_fault(f.kind) && !(f.kind == fault_kind::stall && f.after_read);
}

// A refuse window without counters or chance: the real server closes its port while it is open,
// so it fires once per window, however many connections find the port closed.
bool closes_the_port(const fault& f) {
  return f.kind == fault_kind::refuse && !f.first && !f.every && f.probability >= 1.0;
}

// Ids compare on their first 15 characters: 18-character ids only add a checksum.
bool same_id(std::string_view a, std::string_view b) {
  return a.substr(0, 15) == b.substr(0, 15);
}

}  // namespace

responder::responder(fault_plan plan, std::uint64_t seed, responder_options options,
                     time_point start)
    : plan_(std::move(plan)),
      state_(plan_.faults.size()),
      plan_start_(start),
      rng_(seed),
      options_(std::move(options)),
      ledger_(start, options_.ledger) {
  if (options_.definition) wsdl_ = soap::write_wsdl(*options_.definition);
}

bool responder::is_outage(const fault& f) const {
  return outage_ && &f == &outage_->what;
}

time_point responder::window_begin(const fault& f) const {
  return is_outage(f) ? outage_->since : plan_start_ + f.after;
}

const fault& responder::entry(std::size_t i) const {
  if (outage_) return i == 0 ? outage_->what : plan_.faults[i - 1];
  return plan_.faults[i];
}

responder::entry_state& responder::state_of(const fault& f) {
  return is_outage(f) ? outage_state_ : state_[index_of(f)];
}

bool responder::in_window(const fault& f, time_point now) const {
  const time_point begin = window_begin(f);
  if (now < begin) return false;
  return !f.for_ || now < begin + *f.for_;
}

// Every entry of the phase whose window holds counts the event, so "every 3rd" means every
// 3rd event in its window whatever the entries before it did. Then the first entry that decides
// wins; matching timing entries before it are kept (the first of each kind).
responder::selection responder::select(bool connection_phase, time_point now,
                                       const soap::message* m) {
  selection s;
  for (std::size_t i = 0; i < entry_count(); ++i) {
    const fault& f = entry(i);
    if (decided_per_connection(f) != connection_phase) continue;
    if (!in_window(f, now)) continue;
    // A request that does not meet the entry's conditions is not one of its events.
    if (!conditions_hold(f, m, now)) continue;
    const std::uint64_t n = ++state_of(f).seen;
    if (s.decider) continue;
    if (f.first && n > *f.first) continue;
    if (f.every && n % *f.every != 0) continue;
    if (!applies_here(f)) continue;
    if (f.probability < 1.0 && !rng_.chance(f.probability)) continue;
    if (is_timing_fault(f.kind)) {
      const bool have = std::any_of(s.timing.begin(), s.timing.end(),
                                    [&](const fault* t) { return t->kind == f.kind; });
      if (!have) s.timing.push_back(&f);
    } else {
      s.decider = &f;
    }
  }
  return s;
}

bool responder::conditions_hold(const fault& f, const soap::message* m, time_point now) {
  if (f.when_record || f.when_field) {
    if (!m) return false;
    const bool carried = std::any_of(
        m->notifications.begin(), m->notifications.end(), [&](const soap::notification& n) {
          if (f.when_record) return same_id(n.object.id, *f.when_record);
          return std::any_of(n.object.fields.begin(), n.object.fields.end(),
                             [&](const soap::field_value& v) {
                               return v.name == *f.when_field && v.value == f.when_equals;
                             });
        });
    if (!carried) return false;
  }
  if (f.beyond_per_second) {
    while (!admitted_arrivals_.empty() &&
           admitted_arrivals_.front() <= now - std::chrono::seconds(1))
      admitted_arrivals_.pop_front();
    if (admitted_arrivals_.size() < *f.beyond_per_second) return false;
  }
  if (f.beyond_concurrent) {
    std::erase_if(busy_until_, [&](time_point t) { return t <= now; });
    if (busy_until_.size() < *f.beyond_concurrent) return false;
  }
  return true;
}

// A request let through (not answered by a limit) counts towards the limits: at its arrival, and
// as in progress until its answer is due (after a delay, or a stall's hold).
void responder::admitted(time_point now, const outcome& o) {
  admitted_arrivals_.push_back(now);
  duration busy = o.delay;
  if (o.action == response_action::stall) busy += o.hold;
  if (busy > duration{}) busy_until_.push_back(now + busy);
}

connection_outcome responder::on_connection(time_point now) {
  ++counters_.connections;
  connection_outcome c;
  const selection s = select(true, now);
  if (!s.decider) return c;
  const fault& f = *s.decider;
  c.fault = f.kind;
  if (!closes_the_port(f) || state_of(f).fired == 0) count_fired(f);
  switch (f.kind) {
    case fault_kind::refuse:
      c.action = connection_action::refuse;
      break;
    case fault_kind::close:
      c.action = connection_action::close;
      break;
    case fault_kind::stall:
      c.action = connection_action::stall;
      c.hold = f.hold;
      break;
    case fault_kind::reset_before_read:
      c.action = connection_action::reset;
      break;
    case fault_kind::tls_untrusted:
      c.action = connection_action::tls_failure;
      c.tls = tls_failure_kind::untrusted;
      break;
    case fault_kind::tls_hostname:
      c.action = connection_action::tls_failure;
      c.tls = tls_failure_kind::hostname;
      break;
    case fault_kind::tls_expired:
      c.action = connection_action::tls_failure;
      c.tls = tls_failure_kind::expired;
      break;
    case fault_kind::tls_client_certificate:
      c.action = connection_action::tls_failure;
      c.tls = tls_failure_kind::client_certificate;
      break;
    default:
      break;
  }
  return c;
}

std::string responder::validate(const soap::message& m) const {
  if (!options_.definition) return {};
  const soap::definition& d = *options_.definition;
  if (!d.organization_id.empty() && !same_id(m.header.organization_id, d.organization_id)) {
    return "OrganizationId " + m.header.organization_id + " is not the definition's " +
           d.organization_id;
  }
  for (std::size_t i = 0; i < m.notifications.size(); ++i) {
    const soap::sobject& o = m.notifications[i].object;
    const std::string where = "Notification " + std::to_string(i + 1) + ": ";
    if (o.type != d.object) return where + "sObject type " + o.type + ", expected " + d.object;
    for (const auto& f : o.fields) {
      const bool known = std::any_of(d.fields.begin(), d.fields.end(),
                                     [&](const soap::field& df) { return df.name == f.name; });
      if (!known) return where + "field " + f.name + " is not in definition " + d.full_name;
    }
  }
  return {};
}

outcome responder::answer_valid_or_not(const std::string& reject_reason) {
  static const std::string ack = soap::write_ack(true);  // copied, not written, per request
  outcome o;
  if (reject_reason.empty()) {
    o.response = {200, "", std::string(xml_type), {}, ack};
  } else {
    o.response = {
        500, "", std::string(xml_type), {}, soap::write_fault("soapenv:Client", reject_reason)};
  }
  return o;
}

outcome responder::apply_fault(const fault& f) {
  outcome o = answer_valid_or_not({});
  http_reply& r = o.response;
  switch (f.kind) {
    case fault_kind::reset_after_read:
      o.action = response_action::reset;
      break;
    case fault_kind::stall:
      o.action = response_action::stall;
      o.hold = f.hold;
      break;
    case fault_kind::http_status:
      r = {f.status,
           f.reason,
           f.content_type,
           {},
           f.body.value_or(std::string(f.reason.empty() ? standard_reason(f.status) : f.reason))};
      if (f.retry_after) r.headers.emplace_back("Retry-After", *f.retry_after);
      break;
    case fault_kind::html_error_page: {
      const std::string reason =
          f.reason.empty() ? std::string(standard_reason(f.status)) : f.reason;
      r = {f.status, reason, "text/html", {}, html_page(f.status, reason)};
      break;
    }
    case fault_kind::wrong_content_type:
      r.content_type = f.content_type;
      break;
    case fault_kind::nack:
      r.body = soap::write_ack(false);
      break;
    case fault_kind::soap_fault:
      r = {f.status, "", std::string(xml_type), {}, soap::write_fault(f.faultcode, f.faultstring)};
      break;
    case fault_kind::not_an_ack:
      r.body = f.body.value_or(std::string(not_an_ack_body));
      break;
    case fault_kind::empty_body:
      r.status = f.status;
      r.body.clear();
      break;
    case fault_kind::truncated_body:
      o.action = response_action::truncated;
      o.truncated_at =
          std::min(f.bytes.value_or(r.body.size() / 2), r.body.empty() ? 0 : r.body.size() - 1);
      o.keep_alive = false;
      break;
    case fault_kind::garbage:
      o.action = response_action::garbage;
      o.garbage.resize(f.bytes.value_or(64));
      for (char& c : o.garbage) c = static_cast<char>(rng_.below(256));
      o.keep_alive = false;
      break;
    default:
      break;
  }
  return o;
}

void responder::apply_timing(const std::vector<const fault*>& timing, outcome& o) {
  for (const fault* f : timing) {
    switch (f->kind) {
      case fault_kind::delay:
        o.delay = sample(f->delay, rng_);
        break;
      case fault_kind::slow_body:
        o.slow_body = pacing{f->bytes.value_or(1), f->interval};
        break;
      case fault_kind::bandwidth:
        o.bandwidth = f->bytes_per_second;
        break;
      default:
        break;
    }
    o.faults.push_back(f->kind);
    count_fired(*f);
  }
}

outcome responder::handle(const request_view& req, time_point now) {
  ++counters_.requests;
  request_summary summary;
  summary.number = next_request_number_++;
  summary.at = now;
  summary.method = req.method;
  summary.target = req.target;
  summary.bytes = req.body.size();

  if (req.method == "GET" && is_wsdl_request(req.target)) {
    outcome o;
    if (wsdl_.empty()) {
      o.response = {
          404, "", "text/plain; charset=utf-8", {}, "no definition: start with --definition"};
    } else {
      o.response = {200, "", std::string(xml_type), {}, wsdl_};
    }
    summary.status = o.response.status;
    summary.outcome = "wsdl";
    o.verdict = "wsdl";
    remember(std::move(summary), req.body);
    return o;
  }
  if (req.method != "POST") {
    outcome o;
    o.response = {405,
                  "",
                  "text/plain; charset=utf-8",
                  {{"Allow", "POST"}},
                  "POST a SOAP message, or GET /?wsdl"};
    summary.status = 405;
    summary.outcome = "method_not_allowed";
    o.verdict = "method_not_allowed";
    remember(std::move(summary), req.body);
    return o;
  }

  std::optional<std::string> refused = soap::parse_envelope_into(req.body, parsed_);
  const soap::message* m = refused ? nullptr : &parsed_;
  const selection s = select(false, now, m);
  std::string reject = m ? validate(*m) : std::move(*refused);

  outcome o = s.decider ? apply_fault(*s.decider) : answer_valid_or_not(reject);
  if (s.decider) {
    o.faults.push_back(s.decider->kind);
    count_fired(*s.decider);
  }
  apply_timing(s.timing, o);
  const auto limits = [](const fault& f) { return f.beyond_per_second || f.beyond_concurrent; };
  // Admitted requests are what "beyond" limits count, in the plan or in an outage on demand.
  if ((plan_.has_limits() || (outage_ && limits(outage_->what))) &&
      !(s.decider && limits(*s.decider)))
    admitted(now, o);

  answer a = s.decider ? answer::injected(s.decider->kind)
                       : (reject.empty() ? answer::ack() : answer::rejected());
  if (a.what == answer::kind::ack) ++counters_.acks;
  if (a.what == answer::kind::rejected) ++counters_.rejected;
  if (m) {
    ledger_.record(*m, now, a);
    summary.notifications = m->notifications.size();
    o.notifications = summary.notifications;
  }
  o.verdict = a.what == answer::kind::ack        ? "acked"
              : a.what == answer::kind::rejected ? "rejected"
              : a.fault == fault_kind::nack      ? "nacked"
                                                 : "faulted";

  const bool http_answer =
      o.action == response_action::respond || o.action == response_action::truncated;
  summary.status = http_answer ? o.response.status : 0;
  summary.outcome = std::string(a.name());
  summary.detail = reject;
  for (const fault* t : s.timing) {
    if (!summary.detail.empty()) summary.detail += "; ";
    summary.detail += to_string(t->kind);
  }
  remember(std::move(summary), req.body);
  return o;
}

bool responder::applies_here(const fault& f) const {
  return !is_tls_fault(f.kind) || options_.tls;
}

std::size_t responder::index_of(const fault& f) const {
  return static_cast<std::size_t>(&f - plan_.faults.data());
}

void responder::count_fired(const fault& f) {
  ++faults_[static_cast<std::size_t>(f.kind)];
  ++state_of(f).fired;
}

std::vector<std::uint64_t> responder::fired_per_entry() const {
  std::vector<std::uint64_t> out;
  out.reserve(state_.size());
  for (const entry_state& e : state_) out.push_back(e.fired);
  return out;
}

bool responder::connection_window_open(time_point now) const {
  for (std::size_t i = 0; i < entry_count(); ++i) {
    const fault& f = entry(i);
    if (decided_per_connection(f) && (f.for_ || is_outage(f)) && in_window(f, now) &&
        applies_here(f))
      return true;
  }
  return false;
}

// The open window that closed the port fired, once (a connection refused on the virtual clock
// while it was open counted it already).
void responder::count_refusal(time_point now) {
  for (std::size_t i = 0; i < entry_count(); ++i) {
    const fault& f = entry(i);
    if (!closes_the_port(f) || !in_window(f, now)) continue;
    if (state_of(f).fired == 0) count_fired(f);
    return;
  }
}

responder::refusal responder::refusal_at(time_point now) const {
  refusal r;
  for (std::size_t i = 0; i < entry_count(); ++i) {
    const fault& f = entry(i);
    if (!closes_the_port(f)) continue;
    const time_point begin = window_begin(f);
    const std::optional<time_point> end =
        f.for_ ? std::optional<time_point>(begin + *f.for_) : std::nullopt;
    const bool open = now >= begin && (!end || now < *end);
    r.refusing = r.refusing || open;
    std::optional<time_point> change = now < begin ? std::optional<time_point>(begin) : end;
    if (change && *change > now && (!r.next_change || *change < *r.next_change)) {
      r.next_change = change;
    }
  }
  return r;
}

void responder::replace_plan(fault_plan plan, time_point now) {
  plan_ = std::move(plan);
  admitted_arrivals_.clear();
  busy_until_.clear();
  state_.assign(plan_.faults.size(), entry_state{});
  plan_start_ = now;
}

void responder::start_outage(fault f, time_point now) {
  f.after = {};
  outage_ = outage{std::move(f), now};
  outage_state_ = {};
}

bool responder::end_outage(time_point now) {
  if (!outage_open(now)) return false;
  outage_->what.for_ = now - outage_->since;  // open up to, not including, its end: closed now
  return true;
}

bool responder::outage_open(time_point now) const {
  return outage_ && in_window(outage_->what, now);
}

std::vector<std::string> responder::open_windows(time_point now) const {
  std::vector<std::string> open;
  for (std::size_t i = 0; i < entry_count(); ++i) {
    const fault& f = entry(i);
    if (!in_window(f, now) || !applies_here(f)) continue;
    const std::string where =
        is_outage(f) ? std::string("outage") : "faults[" + std::to_string(index_of(f)) + "]";
    open.push_back(where + ": " + std::string(to_string(f.kind)));
  }
  return open;
}

void responder::reset() {
  ledger_.clear();
  faults_ = {};
  outage_state_.fired = 0;
  responses_.clear();
  for (entry_state& e : state_) e.fired = 0;
  counters_ = {};
  recent_.clear();
  bodies_.clear();
  body_bytes_ = 0;
  ++resets_;
}

void responder::remember(request_summary s, std::string_view body) {
  keep_body(s.number, body);
  if (options_.recent_requests == 0) return;
  if (recent_.size() >= options_.recent_requests) recent_.pop_front();
  recent_.push_back(std::move(s));
}

// A ring of the latest bodies; a dropped body's buffer is reused, so that a steady stream of
// requests allocates nothing here.
void responder::keep_body(std::uint64_t number, std::string_view body) {
  if (options_.kept_bodies == 0 || body.size() > options_.kept_body_bytes) return;
  while (!bodies_.empty() && (bodies_.size() >= options_.kept_bodies ||
                              body_bytes_ + body.size() > options_.kept_body_bytes)) {
    body_bytes_ -= bodies_.front().bytes.size();
    spare_body_ = std::move(bodies_.front().bytes);
    bodies_.pop_front();
  }
  spare_body_.assign(body);
  bodies_.push_back({number, std::move(spare_body_)});
  spare_body_ = {};
  body_bytes_ += body.size();
}

const request_summary* responder::recent_request(std::uint64_t number) const {
  auto it =
      std::lower_bound(recent_.begin(), recent_.end(), number,
                       [](const request_summary& s, std::uint64_t n) { return s.number < n; });
  return it != recent_.end() && it->number == number ? &*it : nullptr;
}

const std::string* responder::kept_body(std::uint64_t number) const {
  auto it = std::lower_bound(bodies_.begin(), bodies_.end(), number,
                             [](const numbered_body& b, std::uint64_t n) { return b.number < n; });
  return it != bodies_.end() && it->number == number ? &it->bytes : nullptr;
}

std::pair<std::uint64_t, std::uint64_t> responder::kept_body_range() const {
  if (bodies_.empty()) return {0, 0};
  return {bodies_.front().number, bodies_.back().number};
}

}  // namespace outbound::mock_endpoint
