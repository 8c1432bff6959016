import { z } from 'zod';

/** 合同类型: 购销, 馆配, 教材, 框架, 其他. */
export const contractTypeSchema = z.enum(['purchase_sale', 'library_supply', 'textbook', 'framework', 'other']);
export type ContractType = z.infer<typeof contractTypeSchema>;

export const contractTypeLabels: Record<ContractType, string> = {
  purchase_sale: '购销合同',
  library_supply: '馆配合同',
  textbook: '教材合同',
  framework: '框架合同',
  other: '其他',
};
