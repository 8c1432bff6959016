import type { Random } from './random.js';

/**
 * Word pools for believable Chinese people, stores, schools and book titles. Surnames follow the rough
 * order of frequency of the common surnames, so 王, 李, 张 and 刘 come up most often.
 */

const surnames: readonly (readonly [string, number])[] = [
  ['王', 72], ['李', 71], ['张', 68], ['刘', 53], ['陈', 45], ['杨', 31], ['黄', 23], ['赵', 22], ['吴', 21], ['周', 20],
  ['徐', 15], ['孙', 15], ['马', 14], ['朱', 13], ['胡', 12], ['郭', 11], ['何', 10], ['高', 10], ['林', 10], ['罗', 9],
  ['郑', 9], ['梁', 8], ['谢', 7], ['宋', 7], ['唐', 7], ['许', 6], ['韩', 6], ['冯', 6], ['邓', 6], ['曹', 5],
  ['彭', 5], ['曾', 5], ['肖', 5], ['田', 5], ['董', 5], ['袁', 4], ['潘', 4], ['于', 4], ['蒋', 4], ['蔡', 4],
  ['余', 4], ['杜', 4], ['叶', 4], ['程', 4], ['苏', 3], ['魏', 3], ['吕', 3], ['丁', 3], ['任', 3], ['沈', 3],
  ['姚', 3], ['卢', 3], ['姜', 3], ['崔', 3], ['钟', 3], ['谭', 3], ['陆', 3], ['汪', 3], ['范', 3], ['金', 3],
  ['欧阳', 1], ['司马', 0.3], ['上官', 0.3],
];

const givenCharacters = [
  '伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀', '霞', '平',
  '刚', '桂', '英', '华', '慧', '建', '国', '志', '文', '斌', '宇', '浩', '凯', '鹏', '辉', '俊', '婷', '雪', '琳', '晨',
  '欣', '怡', '佳', '悦', '思', '雨', '萱', '梓', '涵', '子', '晓', '海', '春', '燕', '红', '玉', '兰', '云', '飞', '鑫',
  '博', '宁', '峰', '亮', '琴', '倩', '颖', '帆', '嘉', '璐', '瑶', '彤', '昊', '然', '轩', '航', '泽', '源', '睿', '哲',
];

export function personName(random: Random, surnameTable: { draw(random: Random): string }): string {
  const surname = surnameTable.draw(random);
  const given = random.chance(0.7) ? random.pick(givenCharacters) + random.pick(givenCharacters) : random.pick(givenCharacters);
  return surname + given;
}

export const surnameChoices = surnames;

export const storeWords = [
  '博雅', '文轩', '书香', '墨香', '鸿文', '尚书', '致远', '明德', '启智', '求知', '新知', '知行', '同文', '万卷', '翰林', '清风',
  '学海', '青藤', '蓝田', '嘉禾', '兰亭', '半山', '南山', '观澜', '弘文', '晨光', '星火', '春晖', '育才', '书林',
];
export const storeKinds = ['书店', '书城', '书屋', '图书有限公司', '文化用品有限公司', '图书音像店'];
export const branchWords = ['中山路', '解放路', '人民路', '建设路', '文化路', '新华路', '和平路', '胜利路', '学府路', '滨江路', '万达广场', '步行街', '火车站', '大学城', '开发区', '老城区'];

export const schoolKinds: readonly (readonly [string, number])[] = [
  ['实验小学', 4], ['第一中学', 3], ['第二中学', 3], ['第三中学', 2], ['实验中学', 3], ['中心小学', 4], ['高级中学', 2],
  ['外国语学校', 1], ['第四中学', 1], ['第五中学', 1], ['职业技术学校', 1], ['幼儿园', 1], ['民族中学', 0.5], ['师范附属小学', 1],
];
export const platformNames = ['当当网', '京东图书', '天猫图书', '拼多多图书', '抖音电商', '快手小店', '小红书商城', '博库网', '文轩网', '中图网'];
export const institutionKinds = ['教育局', '文化馆', '科技局', '总工会', '团委', '妇联', '党校', '档案馆', '人民医院', '税务局'];
export const corporateWords = ['华信', '恒通', '远航', '瑞丰', '金桥', '天成', '东方', '中诚', '百合', '新纪元', '宏图', '汇智'];
export const corporateKinds = ['科技有限公司', '实业有限公司', '集团有限公司', '商贸有限公司', '文化传媒有限公司'];

export const bookCategories: readonly (readonly [string, number])[] = [
  ['textbook', 20], ['teaching_aid', 25], ['general', 25], ['children', 15], ['academic', 10], ['other', 5],
];

const subjects = ['语文', '数学', '英语', '物理', '化学', '生物', '历史', '地理', '道德与法治', '科学', '音乐', '美术', '信息技术'];
const grades = ['一年级', '二年级', '三年级', '四年级', '五年级', '六年级', '七年级', '八年级', '九年级', '高一', '高二', '高三'];
const terms = ['上册', '下册'];
const aidKinds = ['同步练习', '课时作业', '单元测试卷', '期末复习', '阅读训练', '学习指导', '课堂导学'];
const generalNouns = ['江南', '运河', '故园', '春水', '远山', '小城', '长夜', '河流', '风物', '烟雨', '旧事', '光阴', '街巷', '茶馆', '渡口', '灯火', '山海', '归途'];
const generalForms = ['记', '志', '纪事', '笔记', '往事', '散文集', '诗选', '十二章', '之歌', '三部曲'];
const childrenHeroes = ['小狐狸', '小熊', '兔子', '青蛙', '小猫', '小书虫', '恐龙', '小河马', '萤火虫', '小企鹅'];
const childrenPlots = ['去旅行', '的新朋友', '找妈妈', '上学记', '的秘密', '过大年', '奇遇记', '的一天'];
const academicFields = ['明清江南', '近代出版', '宋代文学', '区域经济', '吴语方言', '古典园林', '运河文化', '书院教育', '现代诗学', '民间文献'];
const academicForms = ['研究', '史论', '考论', '文献汇编', '新探', '论集'];
const seriesByCategory: Record<string, readonly string[]> = {
  textbook: ['义务教育教科书', '普通高中教科书'],
  teaching_aid: ['同步学练', '名师导学', '课时达标'],
  general: ['江南文丛', '当代名家散文', '运河书系', null as unknown as string],
  children: ['小书虫成长', '童心绘本', '我的第一本科学书', null as unknown as string],
  academic: ['江南文化研究丛书', '出版史论丛', null as unknown as string],
  other: [null as unknown as string],
};

export interface BookTitle {
  title: string;
  series: string | null;
  author: string | null;
}

/** Builds a title with its series and author for one category; `serial` varies the edition mark. */
export function bookTitle(random: Random, category: string, serial: number, authorName: () => string): BookTitle {
  const seriesPool = seriesByCategory[category] ?? [null as unknown as string];
  const series = random.pick(seriesPool) ?? null;
  const edition = serial % 7 === 0 ? `（第${2 + (serial % 3)}版）` : '';
  switch (category) {
    case 'textbook':
      return { title: `${random.pick(subjects)}·${random.pick(grades)}${random.pick(terms)}${edition}`, series, author: '本书编写组' };
    case 'teaching_aid':
      return { title: `${random.pick(subjects)}${random.pick(aidKinds)}·${random.pick(grades)}${random.pick(terms)}`, series, author: authorName() };
    case 'children':
      return { title: `${random.pick(childrenHeroes)}${random.pick(childrenPlots)}${edition}`, series, author: authorName() };
    case 'academic':
      return { title: `${random.pick(academicFields)}${random.pick(academicForms)}${edition}`, series, author: authorName() };
    default:
      return { title: `${random.pick(generalNouns)}${random.pick(generalForms)}${edition}`, series, author: authorName() };
  }
}

export const visitNotes = [
  '店长反馈新书上架位置靠后，已协调调整到新书推荐台。',
  '对方对本季度征订目录感兴趣，约定下周送样书。',
  '核对上月发货与退货明细，双方数量一致。',
  '催收上季度货款，财务承诺月底前付款。',
  '了解到竞品近期给出更低折扣，需向主管汇报。',
  '图书馆采购负责人更换，重新建立联系。',
  '检查重点品种陈列，补货需求已记录。',
  '学校教务处确认下学期教材用书数量。',
];
export const visitOutcomes = ['达成补货意向', '确认征订数量', '约定付款时间', '需主管跟进', '无明确结果', '对账完成'];
export const visitNextSteps = ['送样书', '发报价单', '跟进回款', '提交征订单', '安排主管拜访', '补寄发货单'];
export const flagReasons = ['门店临时搬到新址，尚未更新客户地址', '在客户仓库收货点签到', '室内定位漂移', '在客户分校区拜访'];
export const returnReasons = ['滞销退货', '破损退货', '征订数量调整', '季末退货', '版本更替退货'];
export const lostReasons = ['价格没有竞争力', '客户预算削减', '竞品中标', '需求取消'];
export const competitors = ['人民文学出版社', '译林出版社', '浙江文艺出版社', '长江文艺出版社', '上海文艺出版社', null];
