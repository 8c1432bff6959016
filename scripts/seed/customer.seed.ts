import { contactInputSchema, createCustomerRequestSchema, type ContactInput } from '../../shared/src/api/customer.js';
import { discountAgreementInputSchema } from '../../shared/src/api/discount-agreement.js';
import type { Actor } from '../../server/src/access/actor.js';
import { loadActor } from '../../server/src/modules/org/org.service.js';
import { requestCollaboration, addCollaborator } from '../../server/src/modules/customer/collaborator.service.js';
import { changeCustomerStage, createCustomer } from '../../server/src/modules/customer/customer-profile.service.js';
import { recordFollowUp } from '../../server/src/modules/customer/customer.service.js';
import { createDiscountAgreement } from '../../server/src/modules/customer/discount-agreement.service.js';
import { setCreditLimit } from '../../server/src/modules/customer/credit-limit-setting.service.js';
import { releaseCustomer, transferCustomer } from '../../server/src/modules/customer/pool.service.js';
import type { DemoSeedContext, DemoSeedStep } from './demo-data.js';

/**
 * About sixty customers of 江南文艺出版社 across real counties: Xinhua branches, private bookstores,
 * university and city libraries, schools, the online platforms, institutions and a corporate buyer. Each
 * rep owns the customers of their region. Some sit in the pool and some have gone stale (close to the
 * automatic return). The bigger ones have discount agreements and credit limits, and one collaboration
 * request waits for 张伟.
 * Everything goes through the customer services, so stage history, timeline and audit are as in real use.
 * Credit codes carry a valid check character but are made up; mobiles have a valid mainland format.
 */

type Row = {
  owner: string | null;
  name: string;
  short?: string;
  type: 'online_platform' | 'xinhua_store' | 'private_store' | 'library' | 'school' | 'institution' | 'corporate' | 'other';
  region: string;
  address: string;
  stage?: 'potential' | 'target' | 'won' | 'lost';
  /** Days since the customer was created (and owned). */
  age: number;
  /** Days since the last follow-up; undefined = never followed up. */
  followed?: number;
  /** Left alone by the other seed steps, so the pool's advance notice and the workbench have something to show. */
  stale?: true;
  tags?: string[];
  source?: string;
  contacts: [name: string, title: string, role: ContactInput['role'], mobile: string][];
  location?: [lat: number, lng: number];
};

const customers: Row[] = [
  // 华东片区 — 张伟、李娜、刘洋, manager 王磊
  { owner: 'zhangwei01', name: '南京市新华书店有限公司鼓楼分店', short: '鼓楼新华', type: 'xinhua_store', region: '320106', address: '中山路 176 号', stage: 'won', age: 900, followed: 6, tags: ['重点客户', '连锁'], source: '老客户', location: [32.0662, 118.7784], contacts: [['王建国', '店长', 'store_manager', '13951803261'], ['刘倩', '采购主管', 'purchaser', '13813927745'], ['孙立平', '财务经理', 'finance', '13770615528']] },
  { owner: 'zhangwei01', name: '苏州新华书店凤凰广场店', short: '苏州凤凰广场', type: 'xinhua_store', region: '320508', address: '人民路 1700 号', stage: 'won', age: 720, followed: 12, tags: ['重点客户'], source: '老客户', location: [31.3089, 120.6176], contacts: [['陈静', '图书部经理', 'purchaser', '13962135580'], ['周海', '店长', 'store_manager', '13606201147']] },
  { owner: 'zhangwei01', name: '南京楚天书店有限公司', short: '楚天书店', type: 'private_store', region: '320104', address: '广州路 173 号', stage: 'target', age: 300, followed: 20, tags: ['人文社科'], source: '书展', location: [32.0529, 118.7788], contacts: [['钱楚', '创始人', 'decision_maker', '13505178862']] },
  { owner: 'zhangwei01', name: '江苏省总工会', type: 'institution', region: '320102', address: '北京东路 71 号', stage: 'potential', age: 95, tags: ['职工书屋'], source: '转介绍', contacts: [['何文', '宣教部干事', 'purchaser', '13852263304']] },
  { owner: 'zhangwei01', name: '上海季岚书园', short: '季岚书园', type: 'private_store', region: '310104', address: '衡山路 8 号', stage: 'potential', age: 110, tags: ['独立书店'], source: '陌拜', contacts: [['沈岚', '店主', 'decision_maker', '13916654420']] },
  { owner: 'lina01', name: '无锡新华书店中山路店', short: '无锡中山路', type: 'xinhua_store', region: '320213', address: '中山路 218 号', stage: 'won', age: 600, followed: 9, tags: ['连锁'], source: '老客户', location: [31.5745, 120.3010], contacts: [['顾晓东', '业务经理', 'purchaser', '13961806632'], ['朱敏', '财务', 'finance', '15852797015']] },
  { owner: 'lina01', name: '杭州晓岚书屋有限公司', short: '晓岚书屋', type: 'private_store', region: '330106', address: '体育场路 8 号', stage: 'won', age: 540, followed: 15, tags: ['人文社科', '连锁'], source: '书展', contacts: [['姜晓岚', '总经理', 'decision_maker', '13805719926'], ['许强', '采购', 'purchaser', '13738001452']] },
  { owner: 'lina01', name: '南京银行股份有限公司', short: '南京银行', type: 'corporate', region: '320104', address: '中山路 288 号', stage: 'target', age: 60, followed: 18, tags: ['员工阅读'], source: '转介绍', contacts: [['严蕾', '工会主席', 'decision_maker', '13770559901']] },
  { owner: 'lina01', name: '常州半山书局', type: 'private_store', region: '320402', address: '南大街 56 号', stage: 'potential', age: 130, tags: ['独立书店'], source: '陌拜', contacts: [['吴半山', '店主', 'decision_maker', '13775221086']] },
  { owner: 'lina01', name: '宁波新华书店天一书城', short: '天一书城', type: 'xinhua_store', region: '330203', address: '中山东路 188 号', stage: 'target', age: 200, followed: 30, source: '书展', contacts: [['包志远', '店长', 'store_manager', '13858213370']] },
  { owner: 'liuyang01', name: '南京大学图书馆', short: '南大图书馆', type: 'library', region: '320113', address: '仙林大道 163 号', stage: 'won', age: 800, followed: 25, tags: ['馆配', '高校'], source: '招投标', location: [32.1173, 118.9582], contacts: [['任慧', '采访部主任', 'librarian', '13813870024'], ['贾明', '设备处', 'finance', '13585137761']] },
  { owner: 'liuyang01', name: '合肥市图书馆', type: 'library', region: '340104', address: '蜀山区潜山路 100 号', stage: 'target', age: 150, followed: 40, tags: ['馆配', '公共馆'], source: '招投标', contacts: [['方琳', '采编部', 'librarian', '13965112280']] },
  { owner: 'liuyang01', name: '芜湖新华书店中山路店', type: 'xinhua_store', region: '340202', address: '中山路步行街 12 号', stage: 'potential', age: 100, source: '陌拜', contacts: [['汤亮', '店长', 'store_manager', '13905539982']] },
  { owner: 'wanglei01', name: '北京京东世纪贸易有限公司', short: '京东图书', type: 'online_platform', region: '110115', address: '北京经济技术开发区科创十一街 18 号', stage: 'won', age: 1000, followed: 3, tags: ['平台', '重点客户'], source: '老客户', contacts: [['林晨', '图书采销经理', 'purchaser', '13911026654'], ['赵悦', '结算专员', 'finance', '13701158830']] },
  { owner: 'wanglei01', name: '北京当当网信息技术有限公司', short: '当当', type: 'online_platform', region: '110105', address: '朝阳区酒仙桥路 10 号', stage: 'won', age: 1000, followed: 8, tags: ['平台', '重点客户'], source: '老客户', contacts: [['何思远', '文艺品类采购', 'purchaser', '13810472239'], ['马琳', '对账专员', 'finance', '13691087714']] },
  { owner: 'wanglei01', name: '杭州博岚网络科技有限公司', short: '博岚网', type: 'online_platform', region: '330108', address: '滨江区江南大道 3588 号', stage: 'target', age: 160, followed: 35, tags: ['平台'], source: '书展', contacts: [['俞航', '运营总监', 'decision_maker', '13989460031']] },

  // 华北片区 — 孙丽、马超, manager 赵志强
  { owner: 'sunli01', name: '北京市新华书店王府井书店', short: '王府井书店', type: 'xinhua_store', region: '110101', address: '王府井大街 218 号', stage: 'won', age: 850, followed: 4, tags: ['重点客户'], source: '老客户', location: [39.9143, 116.4108], contacts: [['高峰', '副店长', 'store_manager', '13801126673'], ['冯雪梅', '采购', 'purchaser', '13601339285']] },
  { owner: 'sunli01', name: '济南泉城路新华书店', type: 'xinhua_store', region: '370102', address: '泉城路 279 号', stage: 'target', age: 210, followed: 22, source: '书展', contacts: [['孔德胜', '店长', 'store_manager', '13805317746']] },
  { owner: 'sunli01', name: '北京海淀区书香苑书店', type: 'private_store', region: '110108', address: '成府路 28 号', stage: 'potential', age: 45, followed: 10, tags: ['独立书店'], source: '陌拜', contacts: [['韦书香', '店主', 'decision_maker', '13501067718']] },
  { owner: 'sunli01', name: '青岛书城', type: 'xinhua_store', region: '370202', address: '香港中路 67 号', stage: 'lost', age: 400, followed: 120, source: '老客户', contacts: [['宋海波', '原采购经理', 'purchaser', '13953272290']] },
  { owner: 'machao01', name: '天津图书大厦', type: 'xinhua_store', region: '120101', address: '西康路 19 号', stage: 'won', age: 700, followed: 14, tags: ['重点客户'], source: '老客户', contacts: [['白振宇', '业务部经理', 'purchaser', '13920118842']] },
  { owner: 'machao01', name: '石家庄新华书店中山路店', type: 'xinhua_store', region: '130102', address: '中山东路 140 号', stage: 'target', age: 180, followed: 28, source: '书展', contacts: [['耿立', '店长', 'store_manager', '13931126608']] },
  { owner: 'machao01', name: '保定市图书馆', type: 'library', region: '130606', address: '东风中路 1 号', stage: 'potential', age: 100, tags: ['馆配', '公共馆'], source: '招投标', contacts: [['常慧', '采编部主任', 'librarian', '13931208841']] },
  { owner: 'zhaozhiqiang01', name: '太原市新华书店五一路店', type: 'xinhua_store', region: '140105', address: '五一路 56 号', stage: 'target', age: 240, followed: 33, source: '书展', contacts: [['阎晓军', '店长', 'store_manager', '13834555290']] },

  // 西南片区 — 何静、罗斌, manager 杨帆
  { owner: 'yangfan01', name: '四川文轩在线电子商务有限公司', short: '文轩网', type: 'online_platform', region: '510104', address: '锦江区三色路 238 号', stage: 'won', age: 760, followed: 5, tags: ['平台', '重点客户'], source: '老客户', contacts: [['邓宇', '采购经理', 'purchaser', '13982013367'], ['蒋丽', '对账专员', 'finance', '13880460025']] },
  { owner: 'hejing01', name: '重庆新华书店解放碑书城', short: '解放碑书城', type: 'xinhua_store', region: '500103', address: '民族路 165 号', stage: 'won', age: 650, followed: 11, tags: ['重点客户'], source: '老客户', contacts: [['谭敏', '图书部经理', 'purchaser', '13908362251']] },
  { owner: 'hejing01', name: '成都锦里书房', type: 'private_store', region: '510107', address: '武侯祠大街 231 号', stage: 'target', age: 140, followed: 26, tags: ['独立书店', '文旅'], source: '书展', contacts: [['曾锦', '店主', 'decision_maker', '13551852276']] },
  { owner: 'hejing01', name: '四川大学图书馆', type: 'library', region: '510107', address: '一环路南一段 24 号', stage: 'target', age: 300, followed: 50, tags: ['馆配', '高校'], source: '招投标', contacts: [['卢静', '采访部', 'librarian', '13618015570']] },
  { owner: 'luobin01', name: '昆明新华书店南屏街店', type: 'xinhua_store', region: '530102', address: '南屏街 21 号', stage: 'won', age: 500, followed: 17, source: '老客户', contacts: [['杨丽华', '店长', 'store_manager', '13708712254']] },
  { owner: 'luobin01', name: '贵阳阅山书店', type: 'private_store', region: '520102', address: '中华南路 88 号', stage: 'potential', age: 105, tags: ['独立书店'], source: '陌拜', contacts: [['龙山', '店主', 'decision_maker', '13985101167']] },
  { owner: 'luobin01', name: '大理古城苍洱书局', type: 'private_store', region: '532901', address: '复兴路 300 号', stage: 'potential', age: 70, followed: 40, tags: ['文旅'], source: '陌拜', contacts: [['段洱', '店主', 'decision_maker', '13887201136']] },

  // 教材中心 — 郑凯, manager 吴海燕
  { owner: 'zhengkai01', name: '南京市第一中学', type: 'school', region: '320104', address: '中华路 410 号', stage: 'won', age: 720, followed: 16, tags: ['教辅', '征订'], source: '教育局', contacts: [['许文博', '教务主任', 'teacher', '13851622093'], ['章红', '语文教研组长', 'teacher', '13913875541']] },
  { owner: 'zhengkai01', name: '合肥市第一中学', type: 'school', region: '340104', address: '黄山路 459 号', stage: 'target', age: 220, followed: 24, tags: ['教辅'], source: '教育局', contacts: [['汪志', '教务处', 'teacher', '13856095512']] },
  { owner: 'zhengkai01', name: '苏州市吴中区实验小学', type: 'school', region: '320506', address: '东吴北路 101 号', stage: 'potential', age: 98, tags: ['地方课程'], source: '教育局', contacts: [['顾芸', '教导主任', 'teacher', '13915529960']] },
  { owner: 'zhengkai01', name: '重庆南开中学', type: 'school', region: '500106', address: '沙坪坝正街 1 号', stage: 'target', age: 160, followed: 31, tags: ['教辅'], source: '书展', contacts: [['邹磊', '图书馆馆长', 'librarian', '13983360218']] },
  { owner: 'wuhaiyan01', name: '南京市鼓楼区教师发展中心', type: 'institution', region: '320106', address: '北京西路 45 号', stage: 'won', age: 400, followed: 19, tags: ['地方课程'], source: '教育局', contacts: [['卞晓燕', '教研员', 'teacher', '13705159983']] },

  // 馆配部 — 徐婷, manager 黄晓明
  { owner: 'xuting01', name: '浙江图书馆', type: 'library', region: '330106', address: '曙光路 73 号', stage: 'won', age: 600, followed: 21, tags: ['馆配', '公共馆'], source: '招投标', contacts: [['楼芳', '采编中心主任', 'librarian', '13867190056']] },
  { owner: 'xuting01', name: '北京师范大学图书馆', type: 'library', region: '110102', address: '新街口外大街 19 号', stage: 'target', age: 260, followed: 45, tags: ['馆配', '高校'], source: '招投标', contacts: [['韩雪', '采访部', 'librarian', '13911306629']] },
  { owner: 'xuting01', name: '南京图书馆', type: 'library', region: '320102', address: '中山东路 189 号', stage: 'target', age: 330, followed: 38, tags: ['馆配', '公共馆'], source: '招投标', contacts: [['葛文', '采编部', 'librarian', '13951632287']] },
  { owner: 'huangxiaoming01', name: '江苏凤凰数据有限公司', type: 'corporate', region: '320106', address: '湖南路 1 号', stage: 'potential', age: 50, followed: 12, tags: ['馆配代理'], source: '转介绍', contacts: [['缪振', '项目经理', 'purchaser', '13776639951']] },

  { owner: 'zhangwei01', name: '镇江新华书店大市口店', type: 'xinhua_store', region: '321102', address: '解放路 201 号', stage: 'target', age: 260, followed: 27, source: '书展', contacts: [['茅志刚', '店长', 'store_manager', '13952942261']] },
  { owner: 'lina01', name: '绍兴新华书店解放路店', type: 'xinhua_store', region: '330602', address: '解放北路 301 号', stage: 'potential', age: 75, followed: 33, source: '书展', contacts: [['鲁越', '业务主管', 'purchaser', '13857511408']] },
  { owner: 'lina01', name: '苏州星辰科技有限公司', type: 'corporate', region: '320505', address: '狮山路 28 号', stage: 'potential', age: 40, followed: 7, tags: ['员工阅读'], source: '转介绍', contacts: [['葛辰', '行政经理', 'purchaser', '13814862209']] },
  { owner: 'machao01', name: '廊坊新华书店', type: 'xinhua_store', region: '131003', address: '新华路 99 号', stage: 'potential', age: 120, followed: 44, source: '陌拜', contacts: [['田野', '店长', 'store_manager', '13932617735']] },
  { owner: 'hejing01', name: '重庆渝北书香童年绘本馆', type: 'private_store', region: '500112', address: '新南路 166 号', stage: 'target', age: 190, followed: 13, tags: ['少儿', '独立书店'], source: '书展', contacts: [['冉童', '馆长', 'decision_maker', '13594167782']] },
  { owner: 'luobin01', name: '云南大学图书馆', type: 'library', region: '530102', address: '翠湖北路 2 号', stage: 'target', age: 280, followed: 36, tags: ['馆配', '高校'], source: '招投标', contacts: [['李滇', '采访部', 'librarian', '13708451193']] },
  { owner: 'zhengkai01', name: '南京师范大学附属中学', type: 'school', region: '320106', address: '察哈尔路 37 号', stage: 'won', age: 500, followed: 9, tags: ['教辅', '征订'], source: '教育局', contacts: [['戴文', '教务处主任', 'teacher', '13813958846']] },

  // Stale: not followed up for close to the return period (the daily job warns, then returns).
  { owner: 'zhangwei01', name: '扬州文昌书社', type: 'private_store', region: '321002', address: '文昌中路 88 号', stale: true, stage: 'potential', age: 88, tags: ['独立书店'], source: '陌拜', contacts: [['鲍文昌', '店主', 'decision_maker', '13905273316']] },
  { owner: 'lina01', name: '嘉兴南湖书屋', type: 'private_store', region: '330402', address: '中山东路 66 号', stale: true, stage: 'potential', age: 150, followed: 86, source: '陌拜', contacts: [['屠南', '店主', 'decision_maker', '13857372214']] },
  { owner: 'sunli01', name: '唐山新华书店', type: 'xinhua_store', region: '130203', address: '新华道 66 号', stale: true, stage: 'target', age: 300, followed: 115, source: '书展', contacts: [['闫冬', '店长', 'store_manager', '13931530078']] },
  { owner: 'hejing01', name: '绵阳西山书店', type: 'private_store', region: '510703', address: '临园路 12 号', stale: true, stage: 'potential', age: 92, tags: ['独立书店'], source: '陌拜', contacts: [['母林', '店主', 'decision_maker', '13989271150']] },

  // The public pool: released or never assigned.
  { owner: null, name: '徐州新华书店淮海路店', type: 'xinhua_store', region: '320302', address: '淮海东路 101 号', stage: 'potential', age: 400, source: '老客户', contacts: [['孟军', '店长', 'store_manager', '13952117720']] },
  { owner: null, name: '南通市图书馆', type: 'library', region: '320612', address: '工农南路 158 号', stage: 'potential', age: 200, tags: ['馆配'], source: '招投标', contacts: [['季红', '采编部', 'librarian', '13962888014']] },
  { owner: null, name: '温州墨香书店', type: 'private_store', region: '330302', address: '解放街 77 号', stage: 'lost', age: 500, source: '陌拜', contacts: [['林墨', '店主', 'decision_maker', '13957766210']] },
  { owner: null, name: '洛阳新华书店中州路店', type: 'xinhua_store', region: '410302', address: '中州中路 288 号', stage: 'potential', age: 260, source: '书展', contacts: [['牛洛', '店长', 'store_manager', '13938826615']] },
  { owner: null, name: '天津市南开区实验小学', type: 'school', region: '120104', address: '长江道 88 号', stage: 'potential', age: 180, tags: ['教辅'], source: '教育局', contacts: [['邢丽', '教导处', 'teacher', '13802063357']] },
  { owner: null, name: '成都天府书苑', type: 'private_store', region: '510116', address: '双流区东升街道 18 号', stage: 'potential', age: 90, source: '陌拜', contacts: [['兰天', '店主', 'decision_maker', '13880771143']] },
  { owner: null, name: '安徽师范大学图书馆', type: 'library', region: '340202', address: '北京东路 1 号', stage: 'target', age: 320, tags: ['馆配', '高校'], source: '招投标', contacts: [['詹玉', '采访部', 'librarian', '13955392207']] },
  { owner: null, name: '拼多多图书联营店', type: 'online_platform', region: '310105', address: '长宁区娄山关路 533 号', stage: 'potential', age: 60, tags: ['平台'], source: '陌拜', contacts: [['陆远', '招商经理', 'purchaser', '13817460092']] },
  { owner: null, name: '济宁孔孟书院', type: 'private_store', region: '370811', address: '红星中路 6 号', stage: 'potential', age: 130, tags: ['国学'], source: '书展', contacts: [['孔明远', '院长', 'decision_maker', '13953778851']] },
  { owner: null, name: '昆明市五华区图书馆', type: 'library', region: '530102', address: '青年路 88 号', stage: 'potential', age: 110, tags: ['馆配'], source: '招投标', contacts: [['普洁', '馆员', 'librarian', '13888127740']] },
];

/** Customers that must stay unvisited in the demo: visits would reset the time to their automatic return. */
export const staleDemoCustomerNames = new Set(customers.filter((row) => row.stale).map((row) => row.name));

/** Customers released by their rep (shows the release reason and the claim flow). */
const released: [name: string, by: string, reason: string][] = [
  ['温州墨香书店', 'lina01', '客户已停止进货，转为流失'],
  ['安徽师范大学图书馆', 'liuyang01', '馆配项目改由馆配部统一对接，先释放到公海'],
];

/** Agreements: [customer, scope, scope value, default 折, floor 折]. Quotes default to them; below the floor needs approval. */
const agreements: [string, 'customer' | 'category' | 'series', string, number, number][] = [
  ['南京市新华书店有限公司鼓楼分店', 'customer', '', 6500, 6000],
  ['南京市新华书店有限公司鼓楼分店', 'series', '江南当代文学书系', 6200, 5800],
  ['苏州新华书店凤凰广场店', 'customer', '', 6500, 6000],
  ['北京京东世纪贸易有限公司', 'customer', '', 5500, 5000],
  ['北京京东世纪贸易有限公司', 'category', 'children', 5200, 4800],
  ['北京当当网信息技术有限公司', 'customer', '', 5500, 5000],
  ['四川文轩在线电子商务有限公司', 'customer', '', 5600, 5200],
  ['北京市新华书店王府井书店', 'customer', '', 6500, 6000],
  ['天津图书大厦', 'customer', '', 6500, 6100],
  ['杭州晓岚书屋有限公司', 'customer', '', 6800, 6300],
  ['南京大学图书馆', 'customer', '', 7800, 7200],
  ['浙江图书馆', 'customer', '', 7600, 7000],
  ['南京市第一中学', 'category', 'teaching_aid', 7500, 7000],
  ['重庆新华书店解放碑书城', 'customer', '', 6500, 6000],
];

/** Credit limits in yuan, set by finance. */
const creditLimits: [string, number][] = [
  ['北京京东世纪贸易有限公司', 5_000_000],
  ['北京当当网信息技术有限公司', 4_000_000],
  ['四川文轩在线电子商务有限公司', 2_000_000],
  ['南京市新华书店有限公司鼓楼分店', 30_000],
  ['苏州新华书店凤凰广场店', 300_000],
  ['北京市新华书店王府井书店', 500_000],
  ['天津图书大厦', 300_000],
];

const managerOf: Record<string, string> = {
  zhangwei01: 'wanglei01', lina01: 'wanglei01', liuyang01: 'wanglei01', wanglei01: 'zhoujianhua01',
  sunli01: 'zhaozhiqiang01', machao01: 'zhaozhiqiang01', zhaozhiqiang01: 'zhoujianhua01',
  yangfan01: 'zhoujianhua01', hejing01: 'yangfan01', luobin01: 'yangfan01',
  zhengkai01: 'wuhaiyan01', wuhaiyan01: 'chenguodong01', xuting01: 'huangxiaoming01', huangxiaoming01: 'chenguodong01',
};

/** Appends the check character over the 17 characters, as GB 32100-2015 defines it. */
function withCheckCharacter(body: string): string {
  const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  let sum = 0;
  for (let index = 0; index < 17; index += 1) sum += alphabet.indexOf(body[index]!) * weights[index]!;
  return body + alphabet[(31 - (sum % 31)) % 31];
}

/** Enterprises '91', public institutions (libraries, schools) '12', trade unions '81'; region code, then a made-up organisation code. */
function creditCodeFor(row: Row, index: number): string | null {
  if (row.type === 'school') return null;
  const prefix = row.type === 'library' ? '12' : row.name.includes('工会') ? '81' : row.type === 'institution' ? '12' : '91';
  return withCheckCharacter(`${prefix}${row.region}${(7_3051_0000 + index * 7919).toString().slice(0, 8)}${'MAKLNPQRT'[index % 9]}`);
}

/** Approximate centres of the districts used (GCJ-02, as the chat apps' maps report), for customers without an exact point. */
const districtCentres: Record<string, [number, number]> = {
  '110101': [39.9288, 116.4163], '110102': [39.9123, 116.3659], '110105': [39.9219, 116.4431], '110108': [39.9593, 116.2981], '110115': [39.7858, 116.5062],
  '120101': [39.1172, 117.2147], '120104': [39.1382, 117.1502], '130102': [38.0367, 114.5393], '130203': [39.6247, 118.201], '130606': [38.8833, 115.4976],
  '131003': [39.5233, 116.7102], '140105': [37.7363, 112.5652], '310104': [31.1885, 121.4365], '310105': [31.2204, 121.4244], '320102': [32.0486, 118.7979],
  '320104': [32.0339, 118.7946], '320106': [32.0662, 118.7697], '320113': [32.0963, 118.909], '320213': [31.566, 120.2968], '320302': [34.2888, 117.1856],
  '320402': [31.7795, 119.9746], '320505': [31.3297, 120.5666], '320506': [31.2625, 120.6317], '320508': [31.3115, 120.6173], '320612': [32.0659, 121.0755],
  '321002': [32.3939, 119.4318], '321102': [32.198, 119.4704], '330106': [30.2594, 120.13], '330108': [30.2084, 120.2119], '330203': [29.8596, 121.5509],
  '330302': [28.0154, 120.6551], '330402': [30.7476, 120.7835], '330602': [29.9887, 120.582], '340104': [31.8513, 117.2608], '340202': [31.3403, 118.3851],
  '370102': [36.6665, 117.0765], '370202': [36.067, 120.383], '370811': [35.4146, 116.595], '410302': [34.6834, 112.4694], '500103': [29.5528, 106.5688],
  '500106': [29.5412, 106.4579], '500112': [29.718, 106.6312], '510104': [30.6571, 104.0837], '510107': [30.6416, 104.0432], '510116': [30.5745, 103.9237],
  '510703': [31.4553, 104.7568], '520102': [26.5682, 106.7146], '530102': [25.0433, 102.707], '532901': [25.6065, 100.2676],
};

/** Returns the row's own point, or its district centre moved up to about a kilometre so neighbours do not overlap. */
function locationFor(row: Row, index: number): { lat: number; lng: number } | null {
  if (row.location) return { lat: row.location[0], lng: row.location[1] };
  const centre = districtCentres[row.region];
  if (!centre) return null;
  const angle = index * 2.39996;
  const distance = 0.002 + (index % 5) * 0.002;
  return { lat: Number((centre[0] + distance * Math.cos(angle)).toFixed(5)), lng: Number((centre[1] + distance * Math.sin(angle)).toFixed(5)) };
}

/** Links in the notices the seed queues; the demo serves the H5 here. */
const publicUrl = process.env.PUBLIC_URL ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`;

const daysAgo = (now: Date, days: number) => new Date(now.getTime() - days * 86_400_000);

async function actorFor(context: DemoSeedContext, platformUserId: string): Promise<Actor> {
  const id = context.userIds.get(platformUserId);
  const actor = id === undefined ? undefined : await loadActor(context.db, id);
  if (!actor) throw new Error(`customer seed: demo user ${platformUserId} is missing; run the org sync first`);
  return actor;
}

export const customerSeedStep: DemoSeedStep = {
  name: 'customers',
  async run(context) {
    const ids = new Map<string, number>();
    const creator = await actorFor(context, 'zhoujianhua01');

    for (const [index, row] of customers.entries()) {
      const actor = row.owner ? await actorFor(context, row.owner) : creator;
      const created = daysAgo(context.now, row.age);
      const input = createCustomerRequestSchema.parse({
        name: row.name,
        shortName: row.short ?? '',
        type: row.type,
        stage: 'potential',
        creditCode: creditCodeFor(row, index) ?? '',
        regionCode: row.region,
        address: row.address,
        location: locationFor(row, index),
        tags: row.tags ?? [],
        source: row.source ?? '',
        toPool: row.owner === null,
        contacts: row.contacts.map(([name, title, role, mobile], contactIndex) => contactInputSchema.parse({ name, title, role, mobile, isKey: contactIndex === 0 })),
      });
      const customer = await createCustomer(context.db, actor, input, created);
      ids.set(row.name, customer.id);

      if (row.stage && row.stage !== 'potential') {
        const steps = row.stage === 'won' ? (['target', 'won'] as const) : row.stage === 'lost' ? (['target', 'lost'] as const) : (['target'] as const);
        let version = customer.version;
        for (const [stepIndex, stage] of steps.entries()) {
          const at = daysAgo(context.now, Math.max(1, Math.round(row.age * (stepIndex === 0 ? 0.7 : 0.4))));
          const reasons = { target: '已确认采购意向', won: '首单合同已签订', lost: '客户转向其他出版社供货', potential: '' };
          const changed = await changeCustomerStage(context.db, actor, customer.id, { stage, reason: reasons[stage], version }, at);
          version = changed.version;
        }
      }
      if (row.followed !== undefined) await recordFollowUp(context.db, customer.id, daysAgo(context.now, row.followed));
    }

    for (const [name, by, reason] of released) {
      const actor = await actorFor(context, by);
      const id = ids.get(name)!;
      // The pool rows were created by a manager straight into the pool. These two get an owner first and
      // are then released, so the 360 view shows the whole story.
      await transferCustomer(context.db, await actorFor(context, managerOf[by] ?? 'zhoujianhua01'), id, { toUserId: actor.id, reason: '按片区分配' }, { now: daysAgo(context.now, 200), publicUrl });
      await releaseCustomer(context.db, actor, id, reason, { now: daysAgo(context.now, 20), publicUrl });
    }

    for (const [name, scope, scopeValue, defaultDiscount, floorDiscount] of agreements) {
      const row = customers.find((candidate) => candidate.name === name)!;
      const manager = await actorFor(context, managerOf[row.owner!] ?? 'zhoujianhua01');
      const input = discountAgreementInputSchema.parse({ scope, scopeValue, defaultDiscount, floorDiscount, validFrom: '2025-01-01', validTo: '2026-12-31', reason: scope === 'customer' ? '年度供货协议' : '品类专项约定' });
      await createDiscountAgreement(context.db, manager, ids.get(name)!, input, daysAgo(context.now, 120));
    }

    // Finance sets credit limits on the larger accounts; 鼓楼新华's is tight, so its next contract needs finance.
    const finance = await actorFor(context, 'zhuhongmei01');
    for (const [name, limitYuan] of creditLimits) {
      await setCreditLimit(context.db, finance, ids.get(name)!, { creditLimitFen: limitYuan * 100, reason: '年度授信评审' }, daysAgo(context.now, 90));
    }

    // 孙丽 works 北京当当 with 王磊 as collaborator, and requests to collaborate on 张伟's 江苏省总工会 (its Beijing office).
    const sunli = await actorFor(context, 'sunli01');
    await addCollaborator(context.db, await actorFor(context, 'wanglei01'), ids.get('北京当当网信息技术有限公司')!, { userId: sunli.id, canEdit: false }, { now: daysAgo(context.now, 30), publicUrl });
    await requestCollaboration(context.db, sunli, { name: '江苏省总工会', message: '总工会北京办事处的职工书屋项目由我对接，申请协作' }, { now: daysAgo(context.now, 1), publicUrl });

    context.logger.info({ customers: ids.size, agreements: agreements.length }, 'customer seed done');
  },
};
