using KvmNovaTuner.Integration.Tests.Support;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace KvmNovaTuner.Integration.Tests.Horizon;

/// <summary>
/// Debian's headless chromium driven through Debian's chromedriver (paths from scripts/services/horizon.sh), logged
/// in to the test Horizon as the tenant that script created. Screenshots go to $KNT_HORIZON_SCREENSHOTS (the docs
/// use docs/images) or the test's work directory, and are attached to the test result.
/// </summary>
internal sealed class HorizonBrowser : IDisposable
{
    private static readonly TimeSpan PageWait = TimeSpan.FromSeconds(60);
    private readonly ChromeDriver driver;

    private HorizonBrowser(string baseUrl, ChromeDriver driver)
    {
        BaseUrl = baseUrl.TrimEnd('/');
        this.driver = driver;
    }

    public string BaseUrl { get; }

    public IWebDriver Driver => driver;

    /// <summary>Starts the browser; ignores the test with the reason when Horizon, chromium or chromedriver is absent.</summary>
    public static HorizonBrowser Start()
    {
        var url = ServiceEnvironment.Require("KNT_HORIZON_URL", "Horizon");
        var chromium = ServiceEnvironment.Require("KNT_CHROMIUM", "Horizon");
        var chromedriver = ServiceEnvironment.Require("KNT_CHROMEDRIVER", "Horizon");
        foreach (var file in new[] { chromium, chromedriver })
        {
            if (!File.Exists(file)) Assert.Ignore($"{file} is not installed (scripts/services.sh install horizon installs it)");
        }
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(chromedriver)!, Path.GetFileName(chromedriver));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var options = new ChromeOptions { BinaryLocation = chromium };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,1000",
            "--no-first-run", "--disable-extensions", "--lang=en-US");
        var driver = new ChromeDriver(service, options, TimeSpan.FromMinutes(3));
        driver.Manage().Timeouts().PageLoad = PageWait;
        return new HorizonBrowser(url, driver);
    }

    /// <summary>Logs in on Horizon's own login form (Keystone credentials, Default domain).</summary>
    public void LogIn(string user, string password)
    {
        driver.Navigate().GoToUrl(BaseUrl + "/auth/login/");
        WaitFor(By.Id("id_username")).SendKeys(user);
        driver.FindElement(By.Id("id_password")).SendKeys(password);
        driver.FindElement(By.Id("loginBtn")).Click();
        Until(d => d.Url.Contains("/project/", StringComparison.Ordinal) || d.PageSource.Contains("alert-danger", StringComparison.Ordinal),
            "the login to answer");
        Assert.That(driver.Url, Does.Contain("/project/"),
            $"Horizon did not log the tenant in: {Text(By.TagName("body"))[..Math.Min(400, Text(By.TagName("body")).Length)]}");
    }

    public void Open(string path) => driver.Navigate().GoToUrl(BaseUrl + path);

    public IWebElement WaitFor(By by) => Until(d => d.FindElements(by).FirstOrDefault(e => e.Displayed), $"{by} to show");

    public T Until<T>(Func<IWebDriver, T?> condition, string what) where T : class => Waiter(what).Until(d => condition(d))!;

    public void Until(Func<IWebDriver, bool> condition, string what) => Waiter(what).Until(condition);

    private WebDriverWait Waiter(string what)
    {
        var wait = new WebDriverWait(driver, PageWait) { PollingInterval = TimeSpan.FromMilliseconds(500), Message = $"waited {PageWait.TotalSeconds} s for {what}" };
        wait.IgnoreExceptionTypes(typeof(NoSuchElementException), typeof(StaleElementReferenceException));
        return wait;
    }

    public string Text(By by) => driver.FindElement(by).Text;

    /// <summary>Saves a PNG of the current page and attaches it to the test; returns its path.</summary>
    public string Screenshot(string name)
    {
        var dir = ServiceEnvironment.Optional("KNT_HORIZON_SCREENSHOTS") ?? TestContext.CurrentContext.WorkDirectory;
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, name + ".png");
        driver.GetScreenshot().SaveAsFile(path);
        TestContext.AddTestAttachment(path, name);
        return path;
    }

    public void Dispose()
    {
        driver.Quit();
        driver.Dispose();
    }
}
