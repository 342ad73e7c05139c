#include "gongkai/archive/detection_items.h"

#include <stdexcept>
#include <string>

namespace gongkai::archive {

std::string_view propertyCode(Property property) {
  switch (property) {
    case Property::kAuthenticity:
      return "authenticity";
    case Property::kIntegrity:
      return "integrity";
    case Property::kUsability:
      return "usability";
    case Property::kSafety:
      return "safety";
  }
  return "";
}

std::string_view propertyName(Property property) {
  switch (property) {
    case Property::kAuthenticity:
      return "真实性";
    case Property::kIntegrity:
      return "完整性";
    case Property::kUsability:
      return "可用性";
    case Property::kSafety:
      return "安全性";
  }
  return "";
}

const std::vector<DetectionItem>& detectionItems() {
  constexpr Property A = Property::kAuthenticity, I = Property::kIntegrity,
                     U = Property::kUsability, S = Property::kSafety;
  // Numbers 1-9, 2-8, 2-9 and 3-5 to 3-7 are left out: the public summaries we could read do
  // not name them (docs/archival.md).
  static const std::vector<DetectionItem> items = {
      {"1-1", "固化信息有效性检测", A, ""},
      {"1-2", "元数据项数据长度检测", A, ""},
      {"1-3", "元数据项数据类型、格式检测", A, ""},
      {"1-4", "设定值域的元数据项值域符合度检测", A, ""},
      {"1-5", "元数据项数据值合理性检测", A, ""},
      {"1-6", "元数据项数据包含特殊字符检测", A, ""},
      {"1-7", "档号规范性检测", A, ""},
      {"1-8", "元数据项数据重复性检测", A, ""},
      {"1-10", "内容数据的电子属性一致性检测", A, ""},
      {"1-11", "元数据是否关联内容数据检测", A, ""},
      {"1-12", "说明文件和目录文件规范性检测", A, ""},
      {"1-13", "信息包目录结构规范性检测", A, ""},
      {"1-14", "信息包一致性检测", A, ""},
      {"2-1", "总件数相符性检测", I, ""},
      {"2-2", "总字节数相符性检测", I, ""},
      {"2-3", "元数据项完整性检测", I, ""},
      {"2-4", "元数据必填著录项目检测", I, ""},
      {"2-5", "过程信息完整性检测", I, ""},
      {"2-6", "连续性元数据项检测", I, ""},
      {"2-7", "内容数据完整性检测", I, ""},
      {"2-10", "归档信息包元数据完整性检测", I, ""},
      {"2-11", "归档信息包内容数据完整性检测", I, ""},
      {"3-1", "信息包中元数据的可读性检测", U, ""},
      {"3-2", "目标数据库中的元数据可访问性检测", U,
       "离线检测归档包，不连接数据库 (an offline check of the bundle reaches no database)"},
      {"3-3", "内容数据格式检测", U, ""},
      {"3-4", "内容数据的可读性检测", U, ""},
      {"3-8", "信息包中包含的内容数据格式合规性检测", U, ""},
      {"4-1", "系统环境中是否安装杀毒软件检测", S,
       "检测的是归档包，不是接收方的计算机 (the bundle is checked, not the receiving computer)"},
      {"4-2", "病毒感染检测", S, ""},
      {"4-3", "载体中多余文件检测", S, ""},
      {"4-4", "载体读取速度检测", S,
       "归档包以文件传输，没有光盘等载体 (the bundle is transferred as a file, on no carrier)"},
      {"4-5", "载体外观检测", S,
       "归档包以文件传输，没有光盘等载体 (the bundle is transferred as a file, on no carrier)"},
      {"4-6", "光盘合格性检测", S,
       "归档包以文件传输，没有光盘等载体 (the bundle is transferred as a file, on no carrier)"},
      {"4-7", "归档过程安全性检测", S, ""},
  };
  return items;
}

const DetectionItem& detectionItem(std::string_view number) {
  for (const DetectionItem& item : detectionItems()) {
    if (item.number == number) return item;
  }
  throw std::out_of_range("no DA/T 70 item " + std::string(number));
}

}  // namespace gongkai::archive
