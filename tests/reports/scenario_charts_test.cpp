// The scenario charts over time: fault windows that touch or overlap in distinct colours, named
// in the legend; markers for the recovery, the end of the drain and each `during` checkpoint.
#include <gtest/gtest.h>
#include <pugixml.hpp>

#include <cstdio>
#include <map>

#include "reports/charts.hpp"
#include "reports/render.hpp"
#include "tests/reports/sample_report.hpp"

namespace outbound::reports {
namespace {

using namespace std::chrono;

run_report with_faults(std::vector<fault_window> faults) {
  auto r = testing::make_sample_report(3, 600);
  r.faults = std::move(faults);
  return r;
}

pugi::xml_document parse(const std::string& svg) {
  pugi::xml_document doc;
  EXPECT_TRUE(doc.load_string(svg.c_str())) << "not well-formed";
  return doc;
}

// The class of each band, by its label (a band's <title>).
std::map<std::string, std::string> band_classes(const pugi::xml_document& doc) {
  std::map<std::string, std::string> out;
  for (const auto& x : doc.select_nodes("//rect[starts-with(@class, 'fault-')]")) {
    const std::string cls = x.node().attribute("class").value();
    if (cls.ends_with("-swatch")) continue;
    out[x.node().child("title").child_value()] = cls;
  }
  return out;
}

TEST(ScenarioCharts, AdjacentFaultWindowsGetDistinctColoursAndALegendEntryEach) {
  const auto t = testing::make_sample_report(3, 600).simulated_start;
  const auto r = with_faults({{"erp: refuse", t + hours(1), t + hours(3)},
                              {"erp: http_status 503", t + hours(3), t + hours(4)},  // touches
                              {"billing: delay", t + minutes(210), t + hours(5)},    // overlaps
                              {"erp: nack", t + hours(8), t + hours(9)}});           // alone
  for (const auto& svg : {throughput_chart(r), queue_chart(r)}) {
    const auto doc = parse(svg);
    auto cls = band_classes(doc);
    ASSERT_EQ(cls.size(), 4u) << svg;
    EXPECT_NE(cls["erp: refuse"], cls["erp: http_status 503"]);
    EXPECT_NE(cls["erp: http_status 503"], cls["billing: delay"]);
    EXPECT_EQ(cls["erp: nack"], "fault-0") << "a window alone takes the first colour";
    // The legend names each fault with its colour's swatch.
    for (const auto& [label, c] : cls) {
      const auto text =
          doc.select_node(("//text[@class='legend' and text()='fault: " + label + "']").c_str());
      EXPECT_TRUE(text) << label;
      EXPECT_TRUE(doc.select_node(("//rect[@class='" + c + "-swatch']").c_str())) << c;
    }
  }
}

TEST(ScenarioCharts, MarkRecoveryEndOfDrainAndDuringCheckpointsWithLabels) {
  const auto r = testing::make_sample_report(3, 600);  // it has one marker of each kind
  for (const auto& svg : {throughput_chart(r), queue_chart(r)}) {
    const auto doc = parse(svg);
    for (const auto& [cls, label] : {std::pair{"m-recovery", "sap recovered"},
                                     {"m-drain", "drained (42m17s after recovery)"},
                                     {"m-during", "during 4h"}}) {
      const auto line =
          doc.select_node(("//line[@class='marker " + std::string(cls) + "']").c_str());
      ASSERT_TRUE(line) << cls;
      EXPECT_STREQ(line.node().child("title").child_value(), label);
      const auto text =
          doc.select_node(("//text[contains(@class, '" + std::string(cls) + "-label')]").c_str());
      ASSERT_TRUE(text) << cls;
      EXPECT_STREQ(text.node().child_value(), label);
    }
    // The recovery line sits at the end of the refuse window (both drawn on the same x scale).
    const auto band = doc.select_node("//rect[title='refuse connections']").node();
    const double band_end = band.attribute("x").as_double() + band.attribute("width").as_double();
    const auto line = doc.select_node("//line[@class='marker m-recovery']").node();
    EXPECT_NEAR(line.attribute("x1").as_double(), band_end, 0.2);
    for (const char* legend : {"endpoint recovered", "end of drain", "during check"})
      EXPECT_TRUE(doc.select_node(
          ("//text[@class='legend' and text()='" + std::string(legend) + "']").c_str()))
          << legend;
  }
}

TEST(ScenarioCharts, ALegendTooLongForOneRowWrapsAndTheChartGrows) {
  const auto t = testing::make_sample_report(3, 600).simulated_start;
  std::vector<fault_window> many;
  for (int i = 0; i < 8; ++i)
    many.push_back({"endpoint_" + std::to_string(i) + ": http_status 503 (p=0.5)", t + hours(i),
                    t + hours(i) + minutes(30)});
  const auto doc = parse(throughput_chart(with_faults(many)));
  const auto svg = doc.child("svg");
  double x = 0, y = 0, width = 0, height = 0;
  ASSERT_EQ(
      std::sscanf(svg.attribute("viewBox").value(), "%lf %lf %lf %lf", &x, &y, &width, &height), 4);
  EXPECT_GT(height, 300) << "the chart grew to make room for the legend's rows";
  double right = 0;
  for (const auto& x : doc.select_nodes("//text[@class='legend']"))
    right = std::max(right, x.node().attribute("x").as_double());
  EXPECT_LT(right, 936) << "a legend entry starts past the plot's right edge";
}

}  // namespace
}  // namespace outbound::reports
