#include "search_corpus.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <iterator>
#include <string_view>
#include <unordered_set>

namespace gongkai::bench {
namespace {

// ---------------------------------------------------------------------------------------------
// Vocabulary. Sentences and phrases are taken (lightly shortened) from the two seed documents,
// /work/shared/seeds/000_*.txt (a hospital party committee's report) and 001_*.txt (a township
// health centre's implementation plan); category items from policies/data/categories.json.
// Lists that are sampled Zipf-like are ordered most frequent first.
// ---------------------------------------------------------------------------------------------

struct Category {
  const char* code;
  const char* name;
  int weight;                           // share of the corpus
  std::vector<std::string_view> items;  // the numbered sub-items in categories.json
  std::vector<std::string_view>
      topics;  // short topics for titles ("关于2021年度{topic}情况的公示")
};

const std::vector<Category>& categories() {
  static const std::vector<Category> list = {
      {"QJ",
       "全局和中心工作",
       15,
       {"贯彻落实党的路线、方针、政策，执行上级党组织决议、决定和工作部署等情况",
        "完善党支部权力运行程序情况", "党组织制发的重要文件、作出的重要决策、决定及完成情况",
        "本单位党建工作计划、工作目标、阶段性工作任务落实情况",
        "重大涉稳群体性事件的处置、重大严打整治行动、重大疑难案件办理情况等"},
       {"党建工作计划", "重要决策执行", "工作目标完成", "上级决策部署落实", "党务公开目录",
        "党支部权力运行程序"}},
      {"SX",
       "党的思想建设",
       15,
       {"学习型党组织建设情况", "党组织开展思想政治工作情况",
        "理论学习计划、党员干部教育培训计划落实情况",
        "有关主题教育集中活动开展情况、重大新闻发布计划等", "理论研究、理论学习服务体系建设情况等",
        "统一战线宣传和有关培训工作情况等"},
       {"理论学习", "党员干部教育培训", "主题教育", "学习型党组织建设", "思想政治工作",
        "“三会一课”", "中心组学习"}},
      {"ZZ",
       "党的组织管理",
       20,
       {"党组织机构设置、主要职责", "机构调整、换届选举情况", "支部联建和结对帮扶工作情况",
        "公开承诺事项及落实情况等", "党费收缴、登记情况", "基层组织工作创新情况等"},
       {"党费收缴", "发展党员", "换届选举", "民主评议党员", "支部联建和结对帮扶", "组织生活会",
        "党员信息登记", "公开承诺事项落实"}},
      {"LD",
       "领导班子建设",
       12,
       {"领导班子成员的分工、主要职责和联系方式", "领导班子的议事规则、决策程序等",
        "执行民主集中制、召开民主生活会情况", "领导班子、领导干部考核情况", "“双争”活动开展情况等"},
       {"民主生活会", "领导班子分工", "领导班子考核", "议事规则和决策程序", "民主集中制执行",
        "述职述廉"}},
      {"GB",
       "干部选拔和管理",
       10,
       {"干部选拔任用、轮岗交流、考核奖惩", "拟提拔、重用干部基本信息公示", "干部管理的规章制度等",
        "干部监督制度及执行情况等",
        "党外代表人士的培养选拔、安排使用、管理程序及政治安排、实职安排和社会安排等"},
       {"干部选拔任用", "拟提拔干部任前公示", "轮岗交流", "干部考核奖惩", "干部监督制度执行"}},
      {"DF",
       "党风廉政建设",
       15,
       {"落实党风廉政建设责任制情况", "党员领导干部廉洁自律规定执行情况",
        "党员干部廉政教育、廉政文化建设情况", "党内监督实施情况", "纠正损害群众利益不正之风情况",
        "查处违纪党员情况", "推进惩治和预防腐败体系建设情况等"},
       {"党风廉政建设责任制落实", "廉洁自律规定执行", "廉政教育", "党内监督", "违纪党员查处",
        "惩治和预防腐败体系建设"}},
      {"LX",
       "联系和服务群众",
       8,
       {"党员和群众联系点工作情况",
        "党员领导干部听取和反映群众意见，接待群众来访，排查化解矛盾纠纷，办理涉及党员、群众切身利益"
        "重要事项等情况",
        "落实结对帮扶制度，帮助群众解决实际困难等情况"},
       {"党员和群众联系点", "群众来访接待", "矛盾纠纷排查化解", "结对帮扶", "群众意见办理"}},
      {"QT",
       "其他公开事项",
       5,
       {"人才引进、培养和使用工作相关政策、措施", "其他应公开的事项和依申请可以公开的事项等"},
       {"人才引进", "依申请公开事项", "人才培养和使用", "其他公开事项"}},
  };
  return list;
}

struct Unit {
  const char* name;      // org_unit
  const char* fullName;  // signature line
  const char* prefix;    // 文号 prefix
  int weight;            // bigger committees publish more
};

const std::array<Unit, 12> kUnits = {{
    {"绵竹市人民医院党委", "中共绵竹市人民医院委员会", "绵医党发", 14},
    {"连云港市妇幼保健院党委", "中共连云港市妇幼保健院委员会", "连妇保党发", 12},
    {"孝德镇卫生院党支部", "中共绵竹市孝德镇卫生院支部委员会", "孝卫党发", 11},
    {"绵竹市中医医院党委", "中共绵竹市中医医院委员会", "绵中医党发", 10},
    {"绵竹市卫生健康局机关党委", "中共绵竹市卫生健康局机关委员会", "绵卫健机党", 9},
    {"绵竹市疾病预防控制中心党支部", "中共绵竹市疾病预防控制中心支部委员会", "绵疾控党支", 8},
    {"妇幼保健院第一党支部", "中共连云港市妇幼保健院第一支部委员会", "连妇保一支", 7},
    {"绵竹市人民医院内科党支部", "中共绵竹市人民医院内科支部委员会", "绵医内支", 6},
    {"绵竹市人民医院外科党支部", "中共绵竹市人民医院外科支部委员会", "绵医外支", 6},
    {"汉旺镇卫生院党支部", "中共绵竹市汉旺镇卫生院支部委员会", "汉卫党发", 6},
    {"孝德镇机关党支部", "中共绵竹市孝德镇机关支部委员会", "孝机党发", 5},
    {"妇幼保健院离退休党支部", "中共连云港市妇幼保健院离退休支部委员会", "连妇保退支", 4},
}};

// Whole sentences from the seeds, most frequent first.
const std::vector<std::string_view> kSentences = {
    "党组织党务公开要做到内容规范、形式规范、程序规范、监督规范，使党内监督更加有力。",
    "基层党组织的工作除涉及党和国家秘密等不宜公开的外，都应向党员公开。",
    "公开内容应全面、客观、真实、具体，公开形式应简便、实用，确保公开的及时性和经常性。",
    "对适合在党外公开的事项，在党务公开栏向群众公开。",
    "对不适合向社会公布的党内事项，通过党内会议每季度向本单位全体党员公布一次。",
    "坚持“三会一课”制度，按时召开支部党员大会、支部委员会和党小组会，按时上好党课。",
    "严格落实组织生活会和民主评议党员制度，认真开展批评和自我批评。",
    "认真收集党员、群众对党务公开情况的意见和建议，及时作出处理或整改，并将结果向党员、群众反馈。",
    "把党务公开与政务公开、办事公开等有机结合，协调运转，讲求实际效果，防止形式主义。",
    "深入开展党风廉政建设和反腐败工作，落实主体责任和监督责任。",
    "党建工作的科学化、民主化程度明显增强，党员民主权利得到切实保障，党员、群众对基层党组织工作的满"
    "意度不断提高。",
    "按照《中国共产党章程》和党内有关规定，对党的基层组织应当公开的事项，应依一定的范围和程序，及时"
    "予以公开，并逐步使党务公开工作制度化。",
    "党费收缴严格按照规定标准执行，做到按月收缴、及时上缴、账目清楚。",
    "严格按照发展党员工作细则，坚持标准、保证质量、改善结构、慎重发展。",
    "对于政策规定、工作制度、工作程序、办事机构等内容应长期公开；对于一定时期内相对稳定的党规性工作"
    "应定期公开。",
    "动态性、阶段性工作，应根据进展情况逐段公开；临时性、应急性工作应及时公开。",
    "将拟公开具体方案（目录）报党务公开领导小组审定，将审定后的目录实施党务公开。",
    "领导班子成员认真履行“一岗双责”，抓好分管领域的党风廉政建设。",
    "召开民主生活会前，广泛征求党员、群众意见，班子成员之间开展谈心谈话。",
    "干部选拔任用坚持德才兼备、以德为先，严格执行民主推荐、考察、讨论决定和任前公示等程序。",
    "对党务公开的内容和党员、群众的意见建议及处理落实情况，及时整理，分类归档，并做好管理利用工作"
    "。",
    "定期召开会议，研究解决推进过程中的突出问题，加强对党务公开工作的协调指导。",
    "党务公开工作领导小组负责明确党务公开的具体内容、形式、程序，加强工作指导，主要负责人为实行党务"
    "公开的第一责任人。",
    "建立党务公开责任制度、信息上报制度、公开意见限时办结制、公开绩效评估制等。",
    "建立党员和群众联系点，党员领导干部定期听取和反映群众意见，接待群众来访。",
    "扎实开展主题教育，坚持学思用贯通、知信行统一。",
    "把理论学习与业务工作结合起来，推动学习成果转化为工作成效。",
    "党员领导干部严格执行廉洁自律规定，自觉接受党员和群众监督。",
    "落实结对帮扶制度，帮助群众解决生产生活中的实际困难。",
    "党组织推行党务公开，从实际情况出发，尊重群众的合理需求，做到既勇于实践、大胆探索，又科学规范、"
    "合理安排、稳步实施、有序推进。",
    "注意把握基层党组织的特点，确定不同的公开内容和形式，有针对性地开展工作指导，加强统筹协调协商，"
    "搞好相互借鉴，推动党务公开整体水平提升。",
    "加强调查研究和督促指导，及时解决党务公开实践中存在的困难和问题，为实行党务公开提供必要的工作条"
    "件。",
    "把检查考核的内容作为领导干部年度考核和落实党风廉政建设责任制考核的重要内容，严格兑现奖惩措施"
    "。",
    "对工作不力、弄虚作假、侵犯党员民主权利的行为，要严肃批评并及时纠正，造成严重后果的，要追究有关"
    "人员的责任。",
    "开展党务公开工作，有利于加强党的自身建设，有利于提高领导水平和执政能力。",
    "有利于强化党内监督，有利于增强党组织的凝聚力、创造力和战斗力。",
    "党务公开工作是落实广大党员和群众民主管理、民主监督权力的有效形式。",
    "通过学习，强化了干部职工和广大党员对党务公开工作的认识，增强了党员干部实行党务公开工作的自觉性"
    "。",
    "坚持发扬民主，广泛参与；阳光透明，依法公开；积极稳妥，逐步推进；统筹兼顾，注重实效。",
    "按照法定公开、主动公开和依申请公开的三种办法进行党务公开工作。",
    "单位网站设置了党建之窗栏目，对党建工作、组织工作、政策信息、创先争优等情况进行宣传。",
    "不涉及党和国家秘密的事项，主动予以公开。",
    "通过内网布置党委的相关工作，将学习材料、活动通知等及时下发各支部和科室。",
    "定期或不定期地召开党员群众大会、情况通报会、组织生活会、意见征求会等会议。",
    "还通过印发党内文件、院报等文字载体对党务工作进行公开。",
    "宣传栏公布可对外公开的党务事项。",
    "增强了党务工作的开放度和透明度，扩大了党员和职工的知情权、参与权和监督权。",
    "较好地做到了权力在阳光下运作，职工在明白中监督。",
    "对于重大决策、重要决议，严格按照规定程序进行，坚持集体讨论决定，分工负责落实。",
    "党务公开工作拉近了职工与党组织的距离，增强了党员的工作责任心，也激发了党员争当模范的自觉性。",
    "党务公开是一项长期性的任务，需要我们不断地探索、总结和完善。",
    "进一步健全党务公开工作阵地，探索党务公开形式，规范推进党务公开工作，建立党务公开工作群众监督机"
    "制。",
    "逐步形成健康、有效进行的党务工作长效机制。",
    "抽调有一定党务工作经验的同志，负责日常党务公开工作。",
    "认真传达上级关于党务公开的文件精神，进行动员部署。",
    "按照先主后次、先急后缓、新旧兼顾的原则确定公开内容。",
    "要积极探索、总结经验、把握工作规律，拓宽工作思路。",
    "接受上级党组织对党务公开工作的监督检查。",
    "加强意识形态工作，牢牢掌握意识形态工作领导权。",
    "持续深化作风建设，坚决纠正损害群众利益的不正之风。",
    "对查处的违纪党员，依规依纪作出处理，并在一定范围内通报。",
    "排查化解矛盾纠纷，办理涉及党员、群众切身利益的重要事项。",
    "人才引进、培养和使用工作坚持公开、平等、竞争、择优的原则。",
    "推进惩治和预防腐败体系建设，筑牢拒腐防变的思想防线。",
};

// Key phrases, most frequent first; they fill templated sentences and make up the query mix.
const std::vector<std::string_view> kPhrases = {
    "党务公开",     "党风廉政建设", "民主集中制",   "三会一课",     "组织生活会",
    "民主评议党员", "发展党员",     "党费收缴",     "民主生活会",   "理论学习",
    "主题教育",     "教育培训",     "廉洁自律",     "党内监督",     "换届选举",
    "结对帮扶",     "党建工作",     "领导小组",     "责任制",       "公开栏",
    "党建之窗",     "意见箱",       "整改落实",     "监督检查",     "干部选拔任用",
    "考核奖惩",     "创先争优",     "学习型党组织", "预防腐败体系", "违纪党员",
    "群众联系点",   "人才引进",     "信息上报制度", "限时办结制",   "绩效评估",
    "政务公开",     "党员大会",     "支部委员会",   "谈心谈话",     "批评和自我批评",
    "作风建设",     "意识形态工作", "入党积极分子", "预备党员",     "述职述廉",
    "一岗双责",     "任前公示",     "轮岗交流",     "矛盾纠纷",     "困难群众",
    "思想政治工作", "中心组学习",   "党课",         "党小组",
};

const std::vector<std::string_view> kLeads = {
    "认真落实", "扎实推进", "进一步规范", "切实加强", "严格执行", "持续深化",
    "全面开展", "稳步推进", "不断完善",   "高度重视", "统筹抓好",
};

const std::vector<std::string_view> kTails = {
    "工作，确保各项任务落到实处。",         "工作，不断提高党建工作科学化水平。",
    "有关情况及时向全体党员公开。",         "工作，做到有计划、有部署、有检查、有总结。",
    "，把各项要求贯穿工作全过程。",         "工作，形成一级抓一级、层层抓落实的工作格局。",
    "的各项制度，推动工作常态化、长效化。", "，切实发挥党支部战斗堡垒作用和党员先锋模范作用。",
};

const std::vector<std::string_view> kHeadings = {
    "基本情况",       "主要做法", "工作开展情况", "取得的主要成效", "存在的问题和不足",
    "下一步工作打算", "目标要求", "基本原则",     "主要内容",       "实施步骤",
    "保障措施",       "有关要求", "工作措施",
};

const std::array<const char*, 10> kNumerals = {"一", "二", "三", "四", "五",
                                               "六", "七", "八", "九", "十"};

const std::vector<std::string_view> kSurnames = {"张", "王", "李", "刘", "陈", "杨", "赵", "黄",
                                                 "周", "吴", "徐", "孙", "胡", "朱", "高", "林",
                                                 "何", "郭", "马", "罗", "叶", "廖", "舒", "邓"};
const std::vector<std::string_view> kGivenNames = {
    "军",   "敏",   "成刚", "丽",   "华",   "强",   "芳",   "静",   "伟",   "磊",
    "洋",   "勇",   "艳",   "杰",   "娟",   "涛",   "明",   "超",   "秀英", "建国",
    "志强", "海燕", "晓红", "文斌", "雪梅", "德明", "春燕", "国庆", "玉兰", "红梅"};

const std::vector<std::string_view> kUpperDocuments = {
    "关于党的基层组织实行党务公开的实施意见", "关于实行党务公开的意见",
    "中国共产党党务公开条例（试行）",         "中国共产党支部工作条例（试行）",
    "关于加强党的基层组织建设的意见",         "关于进一步加强党风廉政建设的通知",
};
const std::vector<std::string_view> kUpperOrgs = {"中共绵竹市委组织部", "中共连云港市委",
                                                  "市卫生健康局党委", "上级党委"};
const std::vector<std::string_view> kUpperPrefixes = {"绵委组发", "连发", "绵卫健党发", "市委办发"};
const std::vector<std::string_view> kPurposes = {
    "扎实抓好党组织的党务公开工作",
    "推动全面从严治党向基层延伸",
    "保障党员知情权、参与权、选举权和监督权",
    "进一步提高基层党建工作质量",
};
const std::vector<std::string_view> kMeetings = {"支部党员大会", "支部委员会会议", "党小组会",
                                                 "组织生活会",   "民主生活会",     "党委会议",
                                                 "中心组学习会", "情况通报会"};
const std::vector<std::string_view> kPosts = {"内科副主任",     "外科护士长",  "办公室主任",
                                              "院长助理",       "财务科科长",  "医务科副科长",
                                              "公共卫生科科长", "党支部副书记"};

// ---------------------------------------------------------------------------------------------
// Random helpers with our own arithmetic: std::uniform_int_distribution and friends are
// implementation-defined, and the corpus must not change with the standard library.
// ---------------------------------------------------------------------------------------------

class Dice {
 public:
  explicit Dice(std::mt19937_64& random) : random_(random) {}
  std::uint64_t below(std::uint64_t n) { return random_() % n; }  // bias negligible for small n
  int between(int low, int high) { return low + static_cast<int>(below(high - low + 1)); }
  double unit() { return static_cast<double>(random_() >> 11) * 0x1.0p-53; }
  bool chance(double p) { return unit() < p; }
  template <typename T>
  const T& pick(const std::vector<T>& list) {
    return list[below(list.size())];
  }

 private:
  std::mt19937_64& random_;
};

// Samples ranks 0..n-1 with probability proportional to 1/(rank+1)^s (Zipf-like), so a few phrases
// occur in many documents and most in few, as words do in real text.
class Zipf {
 public:
  Zipf(std::size_t n, double s) {
    double sum = 0;
    for (std::size_t rank = 0; rank < n; ++rank) {
      sum += 1.0 / std::pow(static_cast<double>(rank + 1), s);
      cumulative_.push_back(sum);
    }
    for (double& c : cumulative_) c /= sum;
  }
  std::size_t sample(Dice& dice) const {
    const auto it = std::lower_bound(cumulative_.begin(), cumulative_.end(), dice.unit());
    return std::min<std::size_t>(it - cumulative_.begin(), cumulative_.size() - 1);
  }

 private:
  std::vector<double> cumulative_;
};

const Zipf& sentenceZipf() {
  static const Zipf zipf(kSentences.size(), 0.8);
  return zipf;
}
const Zipf& phraseZipf() {
  static const Zipf zipf(kPhrases.size(), 1.0);
  return zipf;
}

// Weighted choice among items with an integer `weight` member.
template <typename Container>
std::size_t weighted(Dice& dice, const Container& items) {
  int total = 0;
  for (const auto& item : items) total += item.weight;
  int roll = static_cast<int>(dice.below(total));
  for (std::size_t i = 0; i < items.size(); ++i) {
    if ((roll -= items[i].weight) < 0) return i;
  }
  return items.size() - 1;
}

int daysInMonth(int year, int month) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : days[month - 1];
}

struct Date {
  int year, month, day;
  Date plusDays(int n) const {
    Date d = *this;
    for (d.day += n; d.day > daysInMonth(d.year, d.month);) {
      d.day -= daysInMonth(d.year, d.month);
      if (++d.month > 12) d.month = 1, ++d.year;
    }
    return d;
  }
  std::string text() const {  // 2023年1月6日, as the seeds write dates
    return std::to_string(year) + "年" + std::to_string(month) + "月" + std::to_string(day) + "日";
  }
};

std::size_t codePoints(std::string_view text) {
  return std::count_if(text.begin(), text.end(),
                       [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; });
}

std::string personName(Dice& dice) {
  return std::string(dice.pick(kSurnames)) + std::string(dice.pick(kGivenNames));
}

// Everything a document's sentences may refer to.
struct Context {
  const Category* category;
  const Unit* unit;
  std::string topic;
  Date date;
};

// Phrases that name people, places or bodies rather than work, which "扎实推进……工作" would not
// take.
bool namesWork(std::string_view phrase) {
  static const std::vector<std::string_view> kNotWork = {
      "领导小组",   "责任制",   "公开栏",     "党建之窗",     "意见箱",   "违纪党员",
      "群众联系点", "党员大会", "支部委员会", "入党积极分子", "预备党员", "矛盾纠纷",
      "困难群众",   "党课",     "党小组",     "一岗双责"};
  return std::find(kNotWork.begin(), kNotWork.end(), phrase) == kNotWork.end();
}

std::string phraseSentence(Dice& dice) {
  std::string_view phrase;
  do {
    phrase = kPhrases[phraseZipf().sample(dice)];
  } while (!namesWork(phrase));
  std::string_view tail = dice.pick(kTails);
  constexpr std::string_view kWork = "工作";
  if (phrase.ends_with(kWork) && tail.starts_with(kWork)) tail.remove_prefix(kWork.size());
  return std::string(dice.pick(kLeads)) + std::string(phrase) + std::string(tail);
}

std::string twoPhraseSentence(Dice& dice) {
  const std::string a(kPhrases[phraseZipf().sample(dice)]);
  const std::string b(kPhrases[phraseZipf().sample(dice)]);
  if (dice.chance(0.5)) return "将" + a + "与" + b + "结合起来，统筹安排、一体推进。";
  return a + "和" + b + "有关情况已在公开栏公示，接受党员、群众监督。";
}

std::string itemSentence(Dice& dice, const Context& context) {
  const auto& items = context.category->items;
  const int count = dice.between(1, static_cast<int>(std::min<std::size_t>(items.size(), 3)));
  std::string text = "本次公开的" + std::string(context.category->name) + "事项包括：";
  const std::size_t first = dice.below(items.size());
  for (int i = 0; i < count; ++i) {
    text += "(" + std::to_string(i + 1) + ")" + std::string(items[(first + i) % items.size()]);
    text += i + 1 < count ? "；" : "。";
  }
  return text;
}

// Sentences with numbers and dates, as reports and notices carry them.
std::string factSentence(Dice& dice, const Context& context) {
  const std::string unit = context.unit->name;
  const Date date{context.date.year, dice.between(1, 12), 1};
  const Date someDay{date.year, date.month, dice.between(1, daysInMonth(date.year, date.month))};
  switch (dice.below(12)) {
    case 0: {
      const int members = dice.between(12, 180), retired = dice.between(2, members / 4);
      const int men = dice.between(members / 4, members / 2);
      return "截至" + someDay.text() + "，" + unit + "共有党员" + std::to_string(members) +
             "人，其中在岗职工" + std::to_string(members - retired) + "人，离退休人员" +
             std::to_string(retired) + "人；男党员" + std::to_string(men) + "人，女党员" +
             std::to_string(members - men) + "人。";
    }
    case 1: {
      const int expected = dice.between(8, 120);
      return someDay.text() + "，" + unit + "召开" + std::string(dice.pick(kMeetings)) +
             "，应到党员" + std::to_string(expected) + "人，实到" +
             std::to_string(expected - dice.between(0, expected / 8)) + "人，会议研究了" +
             context.topic + "有关工作。";
    }
    case 2: {
      char amount[64];
      std::snprintf(amount, sizeof amount, "%d.%02d", dice.between(800, 26000),
                    dice.between(0, 99));
      return "本季度共收缴党费" + std::string(amount) +
             "元，其中在职党员按月交纳、离退休党员按季度交纳，已全部按规定上缴。";
    }
    case 3:
      return "全年共开展集中学习" + std::to_string(dice.between(6, 24)) + "次、专题讨论" +
             std::to_string(dice.between(2, 12)) + "次，撰写心得体会" +
             std::to_string(dice.between(10, 150)) + "篇。";
    case 4:
      return "经支部委员会研究，确定" + personName(dice) + "等" +
             std::to_string(dice.between(2, 9)) + "名同志为入党积极分子，" + personName(dice) +
             "等" + std::to_string(dice.between(1, 4)) + "名同志为发展对象。";
    case 5: {
      const int received = dice.between(3, 60);
      const int done = received - dice.between(0, received / 10);
      return someDay.text() + "至" + someDay.plusDays(dice.between(30, 90)).text() +
             "，共收到党员、群众意见建议" + std::to_string(received) + "条，已办结" +
             std::to_string(done) + "条，办结率" + std::to_string(done * 100 / received) + "%。";
    }
    case 6:
      return "按照" + std::string(dice.pick(kUpperPrefixes)) + "[" + std::to_string(date.year) +
             "]" + std::to_string(dice.between(1, 80)) + "号文件精神，" + unit + "于" +
             someDay.text() + "完成" + context.topic + "有关工作。";
    case 7:
      return "对党员、群众反映的" + std::to_string(dice.between(1, 20)) +
             "个问题，已按照公开意见限时办结制在" + std::to_string(dice.between(3, 15)) +
             "个工作日内办结并反馈。";
    case 8:
      return "组织党员" + std::to_string(dice.between(20, 400)) + "人次参加" +
             std::string(kPhrases[phraseZipf().sample(dice)]) + "专题活动，参学率达到" +
             std::to_string(dice.between(85, 100)) + "%。";
    case 9:
      return "本年度" + unit + "共发展党员" + std::to_string(dice.between(0, 6)) +
             "名，转正预备党员" + std::to_string(dice.between(0, 5)) + "名，接收转入组织关系" +
             std::to_string(dice.between(0, 8)) + "名。";
    case 10:
      return std::to_string(date.year) + "年度民主评议党员中，评定优秀党员" +
             std::to_string(dice.between(2, 20)) + "名、合格党员" +
             std::to_string(dice.between(10, 150)) + "名，无不合格党员。";
    default: {
      const Date birth{dice.between(1966, 1992), dice.between(1, 12), 1};
      return personName(dice) + "，" + (dice.chance(0.5) ? "男" : "女") + "，" +
             std::to_string(birth.year) + "年" + std::to_string(birth.month) + "月出生，" +
             (dice.chance(0.4) ? "研究生" : "大学本科") + "学历，" +
             std::to_string(birth.year + dice.between(22, 30)) + "年入党，现任" +
             std::string(dice.pick(kPosts)) + "，拟任" + std::string(dice.pick(kPosts)) + "。";
    }
  }
}

std::string anySentence(Dice& dice, const Context& context) {
  const double roll = dice.unit();
  if (roll < 0.35) return std::string(kSentences[sentenceZipf().sample(dice)]);
  if (roll < 0.65) return phraseSentence(dice);
  if (roll < 0.87) return factSentence(dice, context);
  if (roll < 0.95) return itemSentence(dice, context);
  return twoPhraseSentence(dice);
}

// A sentence not yet used in this document: real documents do not repeat themselves.
std::string bodySentence(Dice& dice, const Context& context,
                         std::unordered_set<std::string>& used) {
  std::string sentence;
  for (int tries = 0; tries < 8; ++tries) {
    sentence = anySentence(dice, context);
    if (used.insert(sentence).second) break;
  }
  return sentence;
}

std::string freshHeading(Dice& dice, std::unordered_set<std::string>& used) {
  std::string heading;
  for (int tries = 0; tries < 8; ++tries) {
    heading = dice.pick(kHeadings);
    if (used.insert(heading).second) break;
  }
  return heading;
}

std::string titleFor(Dice& dice, const Context& context, bool& notice) {
  const std::string year = std::to_string(context.date.year);
  const std::string unit = context.unit->name;
  const std::string& topic = context.topic;
  notice = false;
  if (std::string_view(context.category->code) == "GB" && dice.chance(0.3)) {
    notice = true;
    return "关于" + personName(dice) + "等" + std::to_string(dice.between(2, 6)) +
           "名同志拟任职的公示";
  }
  switch (dice.below(7)) {
    case 0:
      notice = true;
      return "关于" + year + "年度" + topic + "情况的公示";
    case 1:
      return "关于做好" + year + "年" + topic + "工作的通知";
    case 2:
      return unit + year + "年" + topic + "工作总结";
    case 3:
      return "关于印发《" + unit + year + "年" + topic + "工作实施方案》的通知";
    case 4:
      return "关于" + year + "年第" + kNumerals[dice.below(4)] + "季度" + topic + "情况的公开";
    case 5:
      return "关于" + topic + "有关事项的通报";
    default:
      return unit + "关于" + year + "年" + (dice.chance(0.5) ? "上半年" : "下半年") + topic +
             "情况的报告";
  }
}

}  // namespace

const std::vector<std::string>& corpusCategoryCodes() {
  static const std::vector<std::string> codes = [] {
    std::vector<std::string> list;
    for (const auto& category : categories()) list.emplace_back(category.code);
    return list;
  }();
  return codes;
}

CorpusGenerator::CorpusGenerator(std::uint64_t seed) : random_(seed) {}

CorpusDocument CorpusGenerator::next() {
  Dice dice(random_);
  CorpusDocument doc;
  doc.id = nextId_++;

  Context context;
  context.category = &categories()[weighted(dice, categories())];
  context.unit = &kUnits[weighted(dice, kUnits)];
  context.topic = std::string(dice.pick(context.category->topics));
  // Later years weigh more (2016 → 1, 2025 → 10): archives grow as disclosure takes hold.
  int year = 2016;
  for (int roll = static_cast<int>(dice.below(55)), weight = 1; roll >= weight; roll -= weight++) {
    ++year;
  }
  const int month = dice.between(1, 12);
  context.date = Date{year, month, dice.between(1, daysInMonth(year, month))};

  doc.category = context.category->code;
  doc.org_unit = context.unit->name;
  const double scopeRoll = dice.unit();
  doc.scope = scopeRoll < 0.75 ? "public" : scopeRoll < 0.95 ? "internal" : "restricted";
  doc.year = year;
  doc.month = month;
  doc.day = context.date.day;

  bool notice = false;
  doc.title = titleFor(dice, context, notice);
  doc.doc_number = std::string(context.unit->prefix) + "[" + std::to_string(year) + "]" +
                   std::to_string(dice.between(1, 60)) + "号";

  const char* scopeText = doc.scope == "public" ? "党外公开（党务公开栏、党建之窗）"
                          : doc.scope == "internal" ? "党内公开（党员大会、党内文件）"
                                                    : "不宜公开（存档备查）";
  doc.summary = doc.org_unit + "于" + context.date.text() + "发布" + doc.title + "，主要内容为" +
                std::string(dice.pick(context.category->items)) + "。公开范围：" + scopeText + "。";

  // The closing is written first so that the sections can fill the remaining size exactly.
  std::string closing;
  if (notice) {
    closing = "公示期间，如有意见和建议，请通过意见箱、来信来访接待日或热线电话（0838-" +
              std::to_string(dice.between(6200000, 6299999)) + "）向党务公开工作领导小组反映。\n" +
              "公示时间：" + context.date.text() + "至" + context.date.plusDays(5).text() + "。\n";
  } else {
    closing = "特此" + std::string(dice.chance(0.5) ? "通知" : "报告") + "。\n";
  }
  closing += std::string(context.unit->fullName) + "\n" + context.date.text() + "\n";

  std::string& body = doc.body;
  body = "根据" + std::string(dice.pick(kUpperOrgs)) + "《" +
         std::string(dice.pick(kUpperDocuments)) + "》（" + std::string(dice.pick(kUpperPrefixes)) +
         "[" + std::to_string(year - static_cast<int>(dice.below(3))) + "]" +
         std::to_string(dice.between(1, 80)) + "号）的文件要求，为" +
         std::string(dice.pick(kPurposes)) + "，结合本单位实际，现将" + std::to_string(year) +
         "年" + context.topic + "有关情况" + (notice ? "公示" : "通报") + "如下：\n";

  // title + summary + body: 2,048–5,120 bytes. Sentences are added until a random target size
  // is reached, skipping any that would overflow the maximum.
  constexpr std::size_t kMinBytes = 2048, kMaxBytes = 5120;
  const std::size_t fixed = doc.title.size() + doc.summary.size() + closing.size();
  const std::size_t target = kMinBytes + dice.below(kMaxBytes - kMinBytes - 200);
  const std::size_t limit = kMaxBytes - fixed - 1;  // room for a final line break
  std::unordered_set<std::string> used;
  std::size_t section = 0;
  int sentencesLeft = 0, paragraphsLeft = 0;  // of the current paragraph, of the current section
  for (int attempts = 0; fixed + body.size() < target && attempts < 1000; ++attempts) {
    const bool heading = sentencesLeft == 0 && paragraphsLeft <= 0 && section < kNumerals.size();
    if (!heading && sentencesLeft == 0) sentencesLeft = dice.between(2, 5);  // a new paragraph
    std::string piece = heading ? std::string(kNumerals[section]) + "、" + freshHeading(dice, used)
                                : bodySentence(dice, context, used);
    if (heading || sentencesLeft == 1) piece += "\n";
    if (body.size() + piece.size() > limit) continue;  // too long here: draw another
    body += piece;
    if (heading) {
      ++section;
      paragraphsLeft = dice.between(1, 3);
    } else if (--sentencesLeft == 0) {
      --paragraphsLeft;
    }
  }
  if (!body.empty() && body.back() != '\n') body += "\n";
  body += closing;
  return doc;
}

std::vector<std::string> twoWordQueries(std::uint64_t seed, std::size_t count) {
  // Pairs an inspector would type; every word occurs in the corpus vocabulary above.
  static const std::vector<std::string_view> kCurated = {
      "党风廉政建设 责任制",   "组织生活会 民主评议党员", "三会一课 党员大会",
      "发展党员 入党积极分子", "党费收缴 按月收缴",       "民主生活会 批评和自我批评",
      "干部选拔任用 任前公示", "主题教育 理论学习",       "廉洁自律 党内监督",
      "换届选举 支部委员会",   "结对帮扶 困难群众",       "党务公开 意见箱",
      "理论学习 中心组学习",   "人才引进 培养和使用",     "党务公开 领导小组",
      "述职述廉 民主集中制",   "意识形态工作 作风建设",   "群众联系点 矛盾纠纷",
      "违纪党员 预防腐败体系", "限时办结制 意见建议",
  };
  // Trigram matching needs at least three characters per word.
  std::vector<std::string_view> words;
  for (auto phrase : kPhrases) {
    if (codePoints(phrase) >= 3) words.push_back(phrase);
  }
  const Zipf zipf(words.size(), 1.0);

  std::mt19937_64 random(seed);
  Dice dice(random);
  std::vector<std::string> queries;
  while (queries.size() < count) {
    if (dice.chance(0.5)) {
      queries.emplace_back(dice.pick(kCurated));
      continue;
    }
    const auto a = zipf.sample(dice), b = zipf.sample(dice);
    if (a == b) continue;
    queries.push_back(std::string(words[a]) + " " + std::string(words[b]));
  }
  return queries;
}

}  // namespace gongkai::bench
