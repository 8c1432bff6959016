import { registerExposureSource, registerReturnRateSource } from '../customer/credit-limit.service.js';
import { returnRateForCustomer, sumOutstandingForCustomer } from './payment-plan.service.js';

/**
 * Feeds the customer module's credit check: what a customer owes and its return rate. Imported once by
 * the receivable routes, so the sources are registered whenever the app is built.
 */
registerExposureSource({
  name: 'receivables_outstanding',
  component: 'owed',
  label: '应收未回款',
  amountFen: sumOutstandingForCustomer,
});
registerReturnRateSource(returnRateForCustomer);
