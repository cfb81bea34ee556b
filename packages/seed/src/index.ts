export { demoAccount, seedDatabase, type SeedResult } from "./seed";
export { demoTwins, type TwinSeed } from "./twins";
