/** Name shown for the whole organisation on dashboards and exports. */
export const organisationLabel = '全社';
