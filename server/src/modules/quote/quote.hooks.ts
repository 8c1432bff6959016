import { registerExposureSource } from '../customer/customer.service.js';
import './quote.approval.js';
import { sumOpenQuoteAmount } from './quote.service.js';

/**
 * Registrations the quote module makes when it loads: its approval decision handler (in quote.approval)
 * and its share of a customer's credit exposure.
 */
registerExposureSource({
  name: 'open_quotes',
  component: 'open',
  label: '未成交报价',
  amountFen: (db, customerId) => sumOpenQuoteAmount(db, customerId),
});
