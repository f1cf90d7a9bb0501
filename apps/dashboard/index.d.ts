/** Absolute path of the built dashboard (index.html, styles, js/): what the API serves at /dashboard. */
export declare const dashboardDir: string;
